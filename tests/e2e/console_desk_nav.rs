//! The desk's pages as places to come back to (issue 15, point 6): the search is a GET page
//! (Back works; a codice fiscale goes by POST and stays out of the history), the person page has
//! tabs to its parts, and applying a filter or recording a proposal returns to the same place
//! with the filters kept.

use incontro_core::access::Role;

use crate::console::{browser, run_in_browser};
use crate::helpers::{PERSON, PERSON_CF};

#[test]
fn desk_searches_are_pages_and_a_proposal_comes_back_to_its_card_with_the_filters() {
    run_in_browser(|app, driver| async move {
        let desk = browser(&driver, &app).await;
        desk.sign_in(&app.keys[&Role::Desk]).await;
        desk.open("/console/desk").await;
        desk.fill("#q", "Bianchi").await;
        desk.click("form[role=search] button[type=submit]").await;
        desk.wait_url("q=Bianchi").await;
        let person_link = format!(".people a[href='/console/desk/people/{PERSON}']");
        desk.find(&person_link).await;
        desk.assert_accessible("desk results").await;
        desk.click(&person_link).await;
        desk.find("#competences").await;
        desk.client.back().await.expect("back");
        desk.wait_url("q=Bianchi").await;
        desk.find(&person_link).await;

        // A codice fiscale goes straight to the person and never into the address.
        desk.fill("#q", PERSON_CF).await;
        desk.click("form[role=search] button[type=submit]").await;
        desk.find("#competences").await;
        assert_eq!(desk.path().await, format!("/console/desk/people/{PERSON}"));
        desk.client.back().await.expect("back");
        desk.find("form[role=search]").await;
        let url = desk.client.current_url().await.expect("url").to_string();
        assert!(!url.contains(PERSON_CF), "{url}");

        // Tabs to the parts of the long person page.
        desk.open(&format!("/console/desk/people/{PERSON}")).await;
        for part in ["#competences", "#vacancies", "#placements"] {
            desk.find(&format!("nav.tabs a[href='{part}']")).await;
        }
        desk.assert_accessible("person page").await;

        // A filter comes back to the list of vacancies, with the filter kept.
        desk.find("#placement")
            .await
            .select_by_value("contract")
            .await
            .expect("select");
        desk.click("form.filters button[type=submit]").await;
        desk.wait_url("placement=contract").await;
        let url = desk.client.current_url().await.expect("url");
        assert_eq!(url.fragment(), Some("vacancies"), "{url}");

        // A proposal comes back to its own card, the filter still applied.
        let card = "ol.matches > li.card:first-child";
        let vacancy = desk
            .find(card)
            .await
            .attr("data-vacancy")
            .await
            .expect("attr")
            .expect("vacancy id");
        desk.click(&format!("{card} details.record summary")).await;
        desk.fill(
            &format!("{card} .placement-form textarea"),
            "sentito al telefono",
        )
        .await;
        desk.click(&format!("{card} .placement-form button[type=submit]"))
            .await;
        desk.wait_url("recorded=proposal").await;
        let url = desk.client.current_url().await.expect("url");
        let fragment = format!("vacancy-{vacancy}");
        assert_eq!(url.fragment(), Some(fragment.as_str()), "{url}");
        assert!(
            url.query()
                .unwrap_or_default()
                .contains("placement=contract"),
            "{url}"
        );
        desk.wait_text(&format!("#{fragment} p.recorded-here"), "Proposta")
            .await;
        assert_eq!(
            desk.find("#placement")
                .await
                .prop("value")
                .await
                .expect("prop"),
            Some("contract".to_string())
        );
        desk.close().await;
    });
}
