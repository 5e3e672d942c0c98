//! Far-reaching actions of the validator in the browser (issue 15, point 7): removing a
//! competence asks first and says a validated vacancy goes back to draft, and is undone in one
//! click; both steps are audited. A disabled button says why.

use incontro_core::access::{AuditQuery, Role};

use crate::console::{browser, run_in_browser};

#[test]
fn removing_a_competence_asks_first_warns_about_draft_and_can_be_undone() {
    run_in_browser(|app, driver| async move {
        let validator = browser(&driver, &app).await;
        validator.sign_in(&app.keys[&Role::Validator]).await;
        validator.open("/console/vacancies/V001").await;
        validator.find("#requirements").await;
        let before = validator.count("#requirements tbody tr").await;
        assert!(before >= 2, "V001 has competences: {before}");
        assert!(validator.text("#draft-warning").await.contains("bozza"));
        let first_row = "#requirements tbody tr:first-child";
        let skill = validator
            .find(first_row)
            .await
            .attr("data-skill")
            .await
            .expect("attr")
            .expect("skill");
        validator
            .click(&format!(
                "{first_row} form[action$='/requirements/remove'] button[type=submit]"
            ))
            .await;
        let confirm = validator.text("#confirm-remove").await;
        assert!(confirm.contains("bozza"), "{confirm}");
        validator.assert_accessible("remove confirmation").await;
        // Nothing changed before confirming.
        let engine = incontro_core::Engine::open_with(
            app.data_dir(),
            &crate::helpers::database_url(app.data_dir()),
        )
        .expect("second engine");
        let id = incontro_core::model::EntityId::parse("V001").expect("id");
        assert_eq!(
            engine.get_vacancy(&id).expect("vacancy").requirements.len(),
            before
        );
        validator.click("#confirm-remove button[type=submit]").await;
        validator.wait_text("#removed", "Competenza rimossa").await;
        assert_eq!(validator.count("#requirements tbody tr").await, before - 1);
        assert!(validator.text("main").await.contains("bozza"));
        validator.assert_accessible("vacancy after a removal").await;
        // One click puts it back as it was.
        validator.click("#removed button[type=submit]").await;
        validator
            .find(&format!("#requirements tr[data-skill='{skill}']"))
            .await;
        assert_eq!(validator.count("#requirements tbody tr").await, before);
        for action in ["requirement_removed", "requirement_restored"] {
            let rows = engine
                .audit_log(&AuditQuery {
                    action: Some(action.into()),
                    limit: 10,
                    ..Default::default()
                })
                .expect("audit");
            assert_eq!(rows.len(), 1, "{action}");
            assert_eq!(rows[0].target.as_deref(), Some("V001"));
        }
        validator.close().await;
    });
}
