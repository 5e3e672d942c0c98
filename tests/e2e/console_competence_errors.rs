//! Form errors in place on the competence forms (issue 15, point 4): the desk's assessed
//! competence (added or changed) and the validator's requirement of a vacancy (added or its
//! level changed in place). A refused value comes back next to its field, in Italian, with
//! everything typed kept; nothing is saved. Checked by axe.

use incontro_core::access::Role;
use incontro_core::model::{EntityId, Evidence};

use crate::console::{browser, run_in_browser, Browser};
use crate::helpers::PERSON;

/// A text no ESCO label resembles.
const NO_SKILL: &str = "qzxjvw kkwwqq";

async fn value(browser: &Browser, css: &str) -> String {
    browser
        .find(css)
        .await
        .prop("value")
        .await
        .expect("prop")
        .unwrap_or_default()
}

async fn attr(browser: &Browser, css: &str, name: &str) -> Option<String> {
    browser.find(css).await.attr(name).await.expect("attr")
}

/// Puts `level` (no level of the list: only a hand-made request sends it) into the select `css`
/// and chooses it, as a crafted form would.
async fn choose_a_level_that_is_not_one(browser: &Browser, css: &str, level: &str) {
    browser
        .client
        .execute(
            "var select = document.querySelector(arguments[0]); var option = \
             document.createElement('option'); option.value = arguments[1]; option.text = \
             arguments[1]; select.appendChild(option); select.value = arguments[1];",
            vec![css.into(), level.into()],
        )
        .await
        .expect("a crafted level");
}

#[test]
fn the_desk_assessment_keeps_what_was_typed_next_to_the_error() {
    run_in_browser(|app, driver| async move {
        let engine = incontro_core::Engine::open_with(
            app.data_dir(),
            &crate::helpers::database_url(app.data_dir()),
        )
        .expect("second engine");
        let person = EntityId::parse(PERSON).expect("id");
        let before = engine.get_job_seeker(&person).expect("person").competences;
        let desk = browser(&driver, &app).await;
        desk.sign_in(&app.keys[&Role::Desk]).await;
        desk.open(&format!("/console/desk/people/{PERSON}")).await;

        // Adding a competence no label matches: refused next to the skill, the rest kept.
        desk.click("#add-competence summary").await;
        desk.fill("#assess-skill-text", NO_SKILL).await;
        desk.find("#assess-level")
            .await
            .select_by_value("3")
            .await
            .expect("level");
        desk.fill("#assess-note", "colloquio del mattino, buona manualità")
            .await;
        desk.click("form.assess-new button[type=submit]").await;
        let error = desk.wait_text("#skill-error", "competenza").await;
        assert!(error.contains("Nessuna competenza"), "in Italian: {error}");
        assert_eq!(value(&desk, "#assess-skill-text").await, NO_SKILL);
        assert_eq!(value(&desk, "#assess-level").await, "3");
        assert_eq!(
            value(&desk, "#assess-note").await,
            "colloquio del mattino, buona manualità"
        );
        assert_eq!(
            attr(&desk, "#assess-skill-text", "aria-invalid")
                .await
                .as_deref(),
            Some("true")
        );
        assert!(attr(&desk, "#assess-skill-text", "aria-describedby")
            .await
            .unwrap_or_default()
            .contains("skill-error"));
        desk.assert_accessible("assessment with an error").await;

        // Changing a competence's level to one that is not a level: refused next to the level,
        // the competence shown by its name, the note kept.
        desk.open(&format!("/console/desk/people/{PERSON}")).await;
        let row = "h2#competences + div.table-wrap tbody tr:first-child";
        let label = desk.text(&format!("{row} td:first-child")).await;
        desk.click(&format!("{row} details.assess summary")).await;
        choose_a_level_that_is_not_one(&desk, &format!("{row} .assess-form select"), "9").await;
        desk.fill(&format!("{row} .assess-form textarea"), "da rivedere")
            .await;
        desk.click(&format!("{row} .assess-form button[type=submit]"))
            .await;
        let error = desk.wait_text("#level-error", "livello").await;
        assert!(error.contains("da 1"), "{error}");
        assert_eq!(value(&desk, "#assess-level").await, "9");
        assert_eq!(value(&desk, "#assess-skill-text").await, label);
        assert_eq!(value(&desk, "#assess-note").await, "da rivedere");
        assert_eq!(
            engine.get_job_seeker(&person).expect("person").competences,
            before,
            "nothing saved"
        );
        desk.assert_accessible("assessment with a wrong level")
            .await;

        // Corrected on the same page: saved as assessed, with the note.
        desk.find("#assess-level")
            .await
            .select_by_value("4")
            .await
            .expect("level");
        desk.click("form.assess-new button[type=submit]").await;
        desk.wait_text("#saved", "Valutazione registrata").await;
        let after = engine.get_job_seeker(&person).expect("person").competences;
        let assessed: Vec<_> = after
            .iter()
            .filter(|competence| competence.evidence == Evidence::Assessed)
            .filter(|competence| competence.note.as_deref() == Some("da rivedere"))
            .collect();
        assert_eq!(assessed.len(), 1, "{after:?}");
        assert_eq!(assessed[0].level.get(), 4);
        desk.close().await;
    });
}

#[test]
fn a_refused_requirement_comes_back_next_to_its_field() {
    run_in_browser(|app, driver| async move {
        let engine = incontro_core::Engine::open_with(
            app.data_dir(),
            &crate::helpers::database_url(app.data_dir()),
        )
        .expect("second engine");
        let vacancy = EntityId::parse("V001").expect("id");
        let before = engine.get_vacancy(&vacancy).expect("V001").requirements;
        let validator = browser(&driver, &app).await;
        validator.sign_in(&app.keys[&Role::Validator]).await;
        validator.open("/console/vacancies/V001").await;

        // A competence no label matches, optional at level 3: refused next to the skill field,
        // the level and the kind kept.
        validator.fill("#skill-text", NO_SKILL).await;
        validator
            .find("#level")
            .await
            .select_by_value("3")
            .await
            .expect("level");
        validator
            .click("#add-requirement input[name=essential][value=false]")
            .await;
        validator
            .click("#add-requirement button[type=submit]")
            .await;
        let error = validator.wait_text("#skill-error", "competenza").await;
        assert!(error.contains("Nessuna competenza"), "in Italian: {error}");
        assert_eq!(value(&validator, "#skill-text").await, NO_SKILL);
        assert_eq!(value(&validator, "#level").await, "3");
        let optional = validator
            .find("#add-requirement input[name=essential][value=false]")
            .await
            .prop("checked")
            .await
            .expect("prop");
        assert_eq!(optional.as_deref(), Some("true"), "the kind is kept");
        assert_eq!(
            attr(&validator, "#skill-text", "aria-invalid")
                .await
                .as_deref(),
            Some("true")
        );
        validator
            .assert_accessible("vacancy with a refused requirement")
            .await;

        // A level edited in place that is not a level: the message on that row, the value kept.
        let row = "#requirements tbody tr:first-child";
        choose_a_level_that_is_not_one(&validator, &format!("{row} .level-edit select"), "7").await;
        validator
            .click(&format!("{row} .level-edit button[type=submit]"))
            .await;
        let error = validator
            .wait_text(&format!("{row} #row-level-error"), "livello")
            .await;
        assert!(error.contains("da 1"), "{error}");
        assert_eq!(
            value(&validator, &format!("{row} .level-edit select")).await,
            "7"
        );
        assert_eq!(
            attr(
                &validator,
                &format!("{row} .level-edit select"),
                "aria-describedby"
            )
            .await
            .as_deref(),
            Some("row-level-error")
        );
        assert_eq!(validator.count("#skill-error").await, 0);
        assert_eq!(
            engine.get_vacancy(&vacancy).expect("V001").requirements,
            before,
            "nothing saved"
        );
        validator
            .assert_accessible("vacancy with a refused level")
            .await;
        validator.close().await;
    });
}
