//! Outreach (Cob23) through the engine: cohort, call lists, outcomes, confirmation by later
//! hiring, funnel and purge.

mod outreach_common;

use outreach_common::*;

/// Eight people, each excluded by one rule (or selected), in rule order.
fn cohort_world(files: &Files) -> (Engine, Vec<String>) {
    let people: Vec<String> = [
        "AAAAAA", "BBBBBB", "CCCCCC", "DDDDDD", "EEEEEE", "FFFFFF", "GGGGGG", "HHHHHH", "IIIIII",
        "JJJJJJ", "KKKKKK", "LLLLLL",
    ]
    .iter()
    .enumerate()
    .map(|(i, letters)| person(letters, i != 5))
    .collect();
    let e = employer(10);
    let e2 = employer(11);
    let p = |i: usize| people[i].clone();
    let mut rows = vec![
        // 0: ended before the window.
        hire("6000", &p(0), &e, "2022-01-03", "2022-12-31"),
        // 1: ended too recently.
        hire("6010", &p(1), &e, "2024-01-02", "2024-06-30"),
        // 2: rehired 100 days later for a year.
        hire("6020", &p(2), &e, "2023-01-02", "2023-03-31"),
        hire("6021", &p(2), &e2, "2023-07-09", "2024-07-08"),
        // 3: excluded contract type (somministrazione, in this rule).
        hire("6030", &p(3), &e, "2023-01-02", "2023-03-31"),
        // 4: excluded end reason (PE).
        hire("6040", &p(4), &e, "2023-01-02", ""),
        cessazione("6041", &p(4), &e, "2023-01-02", "2023-03-31", "PE"),
        // 5: a man (rule: women only).
        hire("6050", &p(5), &e, "2023-01-02", "2023-03-31"),
        // 6: too old.
        hire("6060", &p(6), &e, "2023-01-02", "2023-03-31"),
        // 7: lives in another comune.
        hire("6070", &p(7), &e, "2023-01-02", "2023-03-31"),
        // 8: do not contact.
        hire("6080", &p(8), &e, "2023-01-02", "2023-03-31"),
        // 9: no mobile.
        hire("6090", &p(9), &e, "2023-01-02", "2023-03-31"),
        // 10: selected, despite a short job (20 days) after the end.
        hire("6100", &p(10), &e, "2023-01-02", "2023-03-31"),
        hire("6101", &p(10), &e2, "2023-05-02", "2023-05-21"),
        // 11: not rehired within six months, but in an open-ended job on as_of.
        hire("6110", &p(11), &e, "2023-01-02", "2023-03-31"),
        hire("6111", &p(11), &e2, "2024-01-08", ""),
    ];
    rows[4].contract = "A.06.01";
    rows[7].sex = "M";
    rows[8].birth = "1950-01-01";
    let mut text = format!("{HEADER}\n");
    for (index, row) in rows.iter().enumerate() {
        let mut line = row.csv();
        if index == 9 {
            line = line.replacen(",F205,", ",E514,", 1);
        }
        text.push_str(&line);
        text.push('\n');
    }
    let path = files.write("cohort.csv", &text);
    let engine = engine();
    import(&engine, &path).expect("import");
    let mut contacts =
        String::from("codice_fiscale,kind,value,source,observed_on,display_name,do_not_contact\n");
    for (i, cf) in people.iter().enumerate() {
        if i == 9 {
            continue;
        }
        contacts.push_str(&format!(
            "{cf},mobile,347 000 00{i:02},SAP,2024-01-10,Persona {i},{}\n",
            i == 8
        ));
    }
    let report = engine
        .import_contacts(
            &files.write("contacts.csv", &contacts),
            &ContactImportOptions::default(),
        )
        .expect("contacts");
    assert_eq!((report.contacts, report.do_not_contact), (11, 1));
    (engine, people)
}

fn cohort_rule() -> CohortRule {
    serde_json::from_str(
        r#"{"ended_from": "2023-01-01", "ended_to": "2024-06-30", "as_of": "2024-09-01",
            "ignore_short_jobs_up_to_days": 30, "sex": "F", "age_max": 60, "comuni": ["F205"],
            "exclude_contract_types": ["A.06.01"], "exclude_end_reasons": ["PE"]}"#,
    )
    .expect("rule")
}

#[test]
fn cohort_counts_each_exclusion() {
    let files = Files::new();
    let (engine, people) = cohort_world(&files);
    let rule = cohort_rule();
    assert_eq!(
        (rule.no_new_hire_days, rule.no_new_hire_months),
        (None, None)
    );
    assert!(!rule.tirocini_count_as_work);
    assert!(rule.require_mobile);
    let (selected, report) = engine.select_cohort(&rule).expect("select");
    let counts: Vec<(&str, u64)> = report
        .excluded
        .iter()
        .map(|(r, c)| (r.as_str(), *c))
        .collect();
    assert_eq!(
        counts,
        [
            ("last_end_not_in_window", 1),
            ("too_recent", 1),
            ("rehired", 1),
            ("employed_on_as_of", 1),
            ("excluded_contract_type", 1),
            ("excluded_end_reason", 1),
            ("sex", 1),
            ("age", 1),
            ("comune", 1),
            ("do_not_contact", 1),
            ("no_mobile_number", 1),
        ]
    );
    assert_eq!((report.people, report.selected), (12, 1));
    assert_eq!(selected[0].worker, people[10]);
    assert_eq!(selected[0].end_date, day("2023-03-31"));
    // Without the short-job tolerance the 20-day job is the last spell that ended.
    let strict = CohortRule {
        ignore_short_jobs_up_to_days: None,
        ..rule
    };
    let (selected, report) = engine.select_cohort(&strict).expect("select");
    assert_eq!(report.selected, 1);
    assert_eq!(selected[0].end_date, day("2023-05-21"));
}

fn campaign_spec(id: &str, rule: CohortRule) -> CampaignSpec {
    CampaignSpec {
        id: id.into(),
        name: "Cob23 test".into(),
        rule,
        retention_until: day("2025-06-30"),
        max_attempts: 2,
        retry_days: 2,
    }
}

#[test]
fn campaign_calls_outcomes_confirmation_funnel_and_purge() {
    let files = Files::new();
    let (engine, people) = cohort_world(&files);
    // Widen the rule so that several people are selected.
    let rule = CohortRule {
        sex: None,
        age_max: None,
        comuni: Vec::new(),
        exclude_contract_types: Vec::new(),
        exclude_end_reasons: Vec::new(),
        ..cohort_rule()
    };
    let summary = engine
        .create_campaign(&campaign_spec("c1", rule), &NoProgress)
        .expect("campaign");
    assert_eq!(summary.report.selected, 6, "{:?}", summary.report);
    let entries = engine.campaign_entries("c1").expect("entries");
    assert_eq!(entries.len(), 6);
    assert!(entries.windows(2).all(|w| w[0].priority >= w[1].priority));
    assert_eq!(entries[0].reasons.len(), 3);
    // Fair assignment: capacities 2 and 1 → 4 and 2 entries.
    let operators = [
        Operator {
            id: "anna".into(),
            daily_capacity: 2,
        },
        Operator {
            id: "bruno".into(),
            daily_capacity: 1,
        },
    ];
    let counts = engine.assign_operators("c1", &operators).expect("assign");
    assert_eq!(counts, [("anna".to_string(), 4), ("bruno".to_string(), 2)]);
    // Reach: by default the first calls are the operators' daily capacity (2 + 1).
    let reach = engine.campaign_reach("c1", None).expect("reach");
    assert_eq!((reach.first, reach.basis), (3, "operator_capacity"));
    let total = |reach: &incontro_core::outreach::Reach| {
        reach
            .rows
            .iter()
            .fold((0, 0), |(s, r), row| (s + row.selected, r + row.reached))
    };
    assert_eq!(total(&reach), (6, 3));
    let asked = engine.campaign_reach("c1", Some(1)).expect("reach");
    assert_eq!((asked.basis, total(&asked)), ("asked", (6, 1)));
    let top = &entries[0];
    assert!(asked.rows.iter().any(|row| row.reached == 1
        && row.age_band == top.age_band
        && Some(&row.sex) == top.sex.as_ref()));
    // The operator view: own entries only, up to capacity, no codice fiscale.
    let today = day("2024-09-02");
    let anna = engine.call_list("c1", "anna", today).expect("calls");
    let bruno = engine.call_list("c1", "bruno", today).expect("calls");
    assert_eq!((anna.len(), bruno.len()), (2, 1));
    let anna_entries: HashSet<u32> = anna.iter().map(|e| e.entry_no).collect();
    assert!(bruno.iter().all(|e| !anna_entries.contains(&e.entry_no)));
    assert!(anna[0]
        .mobile
        .as_deref()
        .is_some_and(|m| m.starts_with("+39347")));
    let view = serde_json::to_string(&anna).expect("json");
    for cf in &people {
        assert!(!view.contains(cf.as_str()));
    }
    assert!(!view.contains("end_reason") && !view.contains("salary"));
    // The card names the reference job's contract (issue 15, point 11).
    let contracts: Vec<Option<&str>> = anna
        .iter()
        .chain(&bruno)
        .map(|entry| entry.last_contract.as_deref())
        .collect();
    assert!(
        contracts
            .iter()
            .all(|contract| matches!(contract, Some("A.01.00" | "A.02.00" | "A.06.01"))),
        "{contracts:?}"
    );
    // Bruno may not record an outcome on Anna's entry.
    let first = anna[0].entry_no;
    let error = engine
        .record_attempt("c1", first, "bruno", CallResult::Answered, today)
        .expect_err("forbidden");
    assert_eq!(error.code(), "entry_not_assigned");
    // No answer → retried after 2 days; answered → taken in charge → placed.
    engine
        .record_attempt("c1", first, "anna", CallResult::NoAnswer, today)
        .expect("attempt");
    let next_day = engine
        .call_list("c1", "anna", day("2024-09-03"))
        .expect("calls");
    assert!(next_day.iter().all(|e| e.entry_no != first), "not due yet");
    let later = engine
        .call_list("c1", "anna", day("2024-09-04"))
        .expect("calls");
    assert!(later.iter().any(|e| e.entry_no == first && e.attempts == 1));
    engine
        .record_attempt("c1", first, "anna", CallResult::Answered, day("2024-09-04"))
        .expect("attempt");
    engine
        .record_milestone("c1", first, Milestone::TakenInCharge, day("2024-09-10"))
        .expect("m");
    engine
        .record_milestone("c1", first, Milestone::Placed, day("2024-10-01"))
        .expect("m");
    // "Taken in charge" recorded by mistake is undone (issue 15, point 7); twice is refused.
    assert_eq!(
        engine.taken_in_charge_on("c1", first).expect("day"),
        Some(day("2024-09-10"))
    );
    assert_eq!(
        engine.undo_taken_in_charge("c1", first).expect("undo"),
        day("2024-09-10")
    );
    assert_eq!(engine.taken_in_charge_on("c1", first).expect("day"), None);
    assert_eq!(
        engine
            .undo_taken_in_charge("c1", first)
            .expect_err("nothing to undo")
            .code(),
        "entry_not_taken_in_charge"
    );
    engine
        .record_milestone("c1", first, Milestone::TakenInCharge, day("2024-09-10"))
        .expect("m");
    // Refused → do-not-contact everywhere.
    let second = anna[1].entry_no;
    engine
        .record_attempt("c1", second, "anna", CallResult::Refused, today)
        .expect("attempt");
    let after = engine
        .call_list("c1", "anna", day("2024-09-20"))
        .expect("calls");
    assert!(after
        .iter()
        .all(|e| e.entry_no != second && e.entry_no != first));
    let (_, report) = engine.select_cohort(&cohort_rule()).expect("select");
    assert_eq!(report.excluded[9].0, "do_not_contact");
    assert!(report.excluded[9].1 >= 1);
    // Outcomes that cannot contradict each other (issue 13, point 9).
    let refused_again = engine
        .record_attempt(
            "c1",
            second,
            "anna",
            CallResult::Answered,
            day("2024-09-21"),
        )
        .expect_err("nothing after refused");
    assert_eq!(refused_again.code(), "entry_refused");
    let milestone_after_refusal = engine
        .record_milestone("c1", second, Milestone::TakenInCharge, day("2024-09-21"))
        .expect_err("nothing after refused");
    assert_eq!(milestone_after_refusal.code(), "entry_refused");
    let third = bruno[0].entry_no;
    let never_answered = engine
        .record_milestone("c1", third, Milestone::Enrolled, day("2024-09-21"))
        .expect_err("never answered");
    assert_eq!(never_answered.code(), "entry_never_answered");
    let future = engine
        .record_attempt("c1", third, "bruno", CallResult::Busy, day("2099-01-01"))
        .expect_err("future");
    assert_eq!(future.code(), "invalid_attempt_date");
    let before_campaign = engine
        .record_attempt("c1", third, "bruno", CallResult::Busy, day("2024-08-01"))
        .expect_err("before the campaign's reference day");
    assert_eq!(before_campaign.code(), "invalid_attempt_date");
    let early_milestone = engine
        .record_milestone("c1", first, Milestone::Enrolled, day("2024-09-03"))
        .expect_err("before the answered call");
    assert_eq!(early_milestone.code(), "invalid_milestone_date");
    // A later COB hiring of the first person confirms the placement.
    let first_worker = cf_of(&engine, &people, first);
    let hired = files.cob(
        "later.csv",
        &[hire(
            "7000",
            &first_worker,
            &employer(20),
            "2024-10-01",
            "2025-03-31",
        )],
    );
    import(&engine, &hired).expect("import");
    let funnel = engine.funnel("c1").expect("funnel");
    let total = funnel
        .iter()
        .find(|r| r.dimension == "campaign")
        .expect("row");
    assert_eq!(
        (
            total.people,
            total.called,
            total.answered,
            total.taken_in_charge,
            total.placed_reported,
            total.placed_confirmed
        ),
        // The refusal counts as answered (the person picked up), never as placed.
        (6, 2, 2, 1, 1, 1)
    );
    assert!(funnel
        .iter()
        .any(|r| r.dimension == "operator" && r.value == "anna" && r.called == 2));
    let csv = incontro_core::outreach::funnel_csv(&funnel);
    assert!(csv.starts_with("dimension,value,people,called"));
    let svg = incontro_core::outreach::funnel_svg(&funnel, "age_band", "test");
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    // Retention: nothing before the date, then call lists go and aggregates stay.
    assert!(engine
        .purge_outreach(day("2025-06-30"))
        .expect("purge")
        .is_empty());
    assert_eq!(
        engine.purge_outreach(day("2025-07-01")).expect("purge"),
        ["c1"]
    );
    assert!(engine.campaign_entries("c1").expect("entries").is_empty());
    assert_eq!(engine.funnel("c1").expect("funnel"), funnel);
    let error = engine.call_list("c1", "anna", today).expect_err("purged");
    assert_eq!(error.code(), "campaign_purged");
}

/// The codice fiscale behind an entry: the one among the file's people whose pseudonym the
/// engine gives for the entry (the operator never sees codici fiscali).
fn cf_of(engine: &Engine, people: &[String], entry: u32) -> String {
    let pseudonym = engine.entry_person_ref("c1", entry).expect("entry");
    people
        .iter()
        .find(|cf| incontro_core::model::person_pseudonym(cf) == pseudonym)
        .expect("a person of the file")
        .clone()
}

#[test]
fn generated_file_imports_cleanly() {
    let files = Files::new();
    let path = files.dir.path().join("gen.csv");
    let stats = generate_cob(
        &CobGeneratorConfig::new(400, 3),
        std::fs::File::create(&path).expect("file"),
    )
    .expect("generate");
    assert!(stats.notices > 1000, "{stats:?}");
    assert!(stats.rettifiche > 0 && stats.annullamenti > 0 && stats.tirocini > 0);
    let engine = engine();
    let report = import(&engine, &path).expect("import");
    assert_eq!(report.inserted, stats.notices);
    let data = engine.cob_data(day("2025-01-01")).expect("data");
    assert_eq!(data.people.len(), 400);
    assert!(data.superseded_notices > 0);
}

#[test]
fn a_chosen_next_call_day_brings_the_entry_back_on_that_day_and_not_before() {
    let files = Files::new();
    let (engine, _people) = cohort_world(&files);
    let rule = CohortRule {
        sex: None,
        age_max: None,
        comuni: Vec::new(),
        exclude_contract_types: Vec::new(),
        exclude_end_reasons: Vec::new(),
        ..cohort_rule()
    };
    engine
        .create_campaign(&campaign_spec("c2", rule), &NoProgress)
        .expect("campaign");
    let operators = [Operator {
        id: "anna".into(),
        daily_capacity: 10,
    }];
    engine.assign_operators("c2", &operators).expect("assign");
    let today = day("2024-09-02");
    let list = engine.call_list("c2", "anna", today).expect("calls");
    let first = list[0].entry_no;
    assert!(list[0].last_note.is_none());
    // A next-call day only for no_answer/busy, and after the call; notes at most 500 chars.
    let on = |next: &str| AttemptDetails {
        note: Some("richiamare dopo le 17".into()),
        next_call: Some(day(next)),
        ..Default::default()
    };
    let error = engine
        .record_attempt_with(
            "c2",
            first,
            "anna",
            CallResult::Answered,
            today,
            &on("2024-09-06"),
        )
        .expect_err("answered");
    assert_eq!(error.code(), "invalid_next_call");
    let error = engine
        .record_attempt_with(
            "c2",
            first,
            "anna",
            CallResult::Busy,
            today,
            &on("2024-09-02"),
        )
        .expect_err("same day");
    assert_eq!(error.code(), "invalid_next_call");
    let long = AttemptDetails {
        note: Some("n".repeat(501)),
        ..Default::default()
    };
    let error = engine
        .record_attempt_with("c2", first, "anna", CallResult::Busy, today, &long)
        .expect_err("long note");
    assert_eq!(error.code(), "note_too_long");
    assert!(!error.to_string().contains("nnnn"));
    // No answer, call again on the 6th (retry_days alone would bring it back on the 4th).
    engine
        .record_attempt_with(
            "c2",
            first,
            "anna",
            CallResult::NoAnswer,
            today,
            &on("2024-09-06"),
        )
        .expect("attempt");
    for before in ["2024-09-03", "2024-09-04", "2024-09-05"] {
        let list = engine.call_list("c2", "anna", day(before)).expect("calls");
        assert!(list.iter().all(|e| e.entry_no != first), "back on {before}");
    }
    let back = engine
        .call_list("c2", "anna", day("2024-09-06"))
        .expect("calls");
    let entry = back
        .iter()
        .find(|e| e.entry_no == first)
        .expect("back on the chosen day");
    assert_eq!(entry.attempts, 1);
    assert_eq!(entry.last_note.as_deref(), Some("richiamare dopo le 17"));
    // The chosen day still counts against max_attempts (2): a second no answer closes it.
    engine
        .record_attempt_with(
            "c2",
            first,
            "anna",
            CallResult::NoAnswer,
            day("2024-09-06"),
            &on("2024-09-09"),
        )
        .expect("attempt");
    let later = engine
        .call_list("c2", "anna", day("2024-09-20"))
        .expect("calls");
    assert!(later.iter().all(|e| e.entry_no != first), "closed");
    let third = engine
        .record_attempt("c2", first, "anna", CallResult::Answered, day("2024-09-20"))
        .expect_err("at most max_attempts");
    assert_eq!(third.code(), "max_attempts_reached");
}

#[test]
fn a_refusal_is_undone_only_explicitly_with_who_when_and_why() {
    let files = Files::new();
    let (engine, _people) = cohort_world(&files);
    let rule = CohortRule {
        sex: None,
        age_max: None,
        comuni: Vec::new(),
        exclude_contract_types: Vec::new(),
        exclude_end_reasons: Vec::new(),
        ..cohort_rule()
    };
    engine
        .create_campaign(&campaign_spec("c3", rule), &NoProgress)
        .expect("campaign");
    let operators = [Operator {
        id: "anna".into(),
        daily_capacity: 10,
    }];
    engine.assign_operators("c3", &operators).expect("assign");
    let today = day("2024-09-02");
    let first = engine.call_list("c3", "anna", today).expect("calls")[0].entry_no;
    // Nothing to undo yet.
    let error = engine
        .undo_refusal("c3", first, "manager_rita", "wrong entry")
        .expect_err("nothing refused");
    assert_eq!(error.code(), "entry_not_refused");
    engine
        .record_attempt("c3", first, "anna", CallResult::NoAnswer, today)
        .expect("attempt");
    engine
        .record_attempt("c3", first, "anna", CallResult::Refused, day("2024-09-04"))
        .expect("refused");
    // Refused: nothing after it, off every list.
    let later = day("2024-09-10");
    let error = engine
        .record_attempt("c3", first, "anna", CallResult::Answered, later)
        .expect_err("refused");
    assert_eq!(error.code(), "entry_refused");
    assert!(engine
        .call_list("c3", "anna", later)
        .expect("calls")
        .iter()
        .all(|e| e.entry_no != first));
    // The undo must say who and why.
    for (by, reason) in [("", "recorded on the wrong entry"), ("manager_rita", "  ")] {
        let error = engine
            .undo_refusal("c3", first, by, reason)
            .expect_err("who and why");
        assert_eq!(error.code(), "invalid_undo");
    }
    let undo = engine
        .undo_refusal("c3", first, "manager_rita", "recorded on the wrong entry")
        .expect("undo");
    assert_eq!(
        (undo.attempt_no, undo.called_on, undo.operator.as_str()),
        (2, day("2024-09-04"), "anna")
    );
    assert_eq!(undo.undone_by, "manager_rita");
    assert!(undo
        .undone_at
        .starts_with(&incontro_core::records::DEMO_ANCHOR.to_string()));
    assert_eq!(
        engine.refusal_undos("c3", first).expect("log"),
        vec![undo.clone()]
    );
    // The entry is open again (the refused attempt no longer counts) and the person callable.
    assert!(engine
        .call_list("c3", "anna", later)
        .expect("calls")
        .iter()
        .any(|e| e.entry_no == first && e.attempts == 1));
    let attempt = engine
        .record_attempt("c3", first, "anna", CallResult::Answered, later)
        .expect("answered after the undo");
    assert_eq!(attempt, 2);
    let error = engine
        .undo_refusal("c3", first, "manager_rita", "again")
        .expect_err("nothing left to undo");
    assert_eq!(error.code(), "entry_not_refused");
}
