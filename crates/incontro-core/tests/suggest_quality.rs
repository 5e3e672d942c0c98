//! Quality of competence suggestions (issue 16): the precision traps of
//! `tests/fixtures/suggest-traps/traps.tsv` (Italian on the demo's labels, English on the full
//! ESCO release, skipped when ../shared is absent), several skills in one sentence with their
//! spans, skills described rather than named, and English labels standing in for skills with no
//! Italian label.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use incontro_core::suggest::{MatchKind, NearReason, Suggestions};
use incontro_core::taxonomy::EscoImportOptions;
use incontro_core::{Engine, NoProgress};

const ESCO: &str = "http://data.europa.eu/esco/";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/suggest-traps")
}

fn demo() -> Engine {
    let engine = Engine::open_in_memory_on(incontro_core::records::DEMO_ANCHOR).expect("engine");
    engine.import_demo(&NoProgress).expect("demo");
    engine
}

fn english() -> Option<&'static Engine> {
    static ENGINE: OnceLock<Option<Engine>> = OnceLock::new();
    ENGINE
        .get_or_init(|| {
            let dir =
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/esco-v1.1.1");
            let zips: Vec<PathBuf> = std::fs::read_dir(&dir)
                .ok()?
                .map(|entry| entry.expect("entry").path())
                .filter(|path| path.extension().is_some_and(|ext| ext == "zip"))
                .collect();
            let engine =
                Engine::open_in_memory_on(incontro_core::records::DEMO_ANCHOR).expect("engine");
            engine
                .import_esco(&zips, &EscoImportOptions::default(), &NoProgress)
                .expect("import");
            Some(engine)
        })
        .as_ref()
}

/// The traps of one language: (line number, text, URIs that must not come back).
fn traps(language: &str) -> Vec<(usize, String, Vec<String>)> {
    let path = fixtures().join("traps.tsv");
    let text = std::fs::read_to_string(&path).expect("traps.tsv");
    let mut traps = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        assert_eq!(fields.len(), 4, "traps.tsv:{}: four fields", index + 1);
        if fields[0] != language {
            continue;
        }
        let banned = fields[2]
            .split_whitespace()
            .map(|path| format!("{ESCO}{path}"))
            .collect();
        traps.push((index + 1, fields[1].to_string(), banned));
    }
    assert!(traps.len() >= 4, "{language}: {traps:?}");
    traps
}

/// The number of words in a span.
fn span_words(quote: &str) -> usize {
    quote
        .split(|character: char| !character.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .count()
}

/// A single-word partial match never ranks above a label match of two or more words.
fn check_single_word_ranks(text: &str, suggestions: &Suggestions) {
    let single = |kind: MatchKind, quote: &str| {
        kind == MatchKind::Near(NearReason::Partial) && span_words(quote) == 1
    };
    for (rank, skill) in suggestions.skills.iter().enumerate() {
        if !single(skill.kind, &skill.span.quote) {
            continue;
        }
        for later in &suggestions.skills[rank + 1..] {
            let multi = later.kind != MatchKind::Description && span_words(&later.span.quote) >= 2;
            assert!(
                !multi,
                "{text:?}: single-word {skill:?} ranks above multi-word {later:?}"
            );
        }
    }
}

fn check_traps(engine: &Engine, language: &str) {
    for (line, text, banned) in traps(language) {
        let suggestions = engine
            .suggest_competences(&text, Some(language), 20)
            .expect("suggest");
        for skill in &suggestions.skills {
            assert!(
                !banned.contains(&skill.uri),
                "traps.tsv:{line}: {text:?} suggested {skill:#?}"
            );
        }
        for hint in &suggestions.occupations {
            assert!(
                !banned.contains(&hint.uri),
                "traps.tsv:{line}: {text:?} named the occupation {} ({:?})",
                hint.label,
                hint.span.quote
            );
        }
        check_single_word_ranks(&text, &suggestions);
    }
}

#[test]
fn italian_traps_on_the_demo_labels() {
    check_traps(&demo(), "it");
}

#[test]
fn english_traps_on_the_full_release() {
    let Some(engine) = english() else {
        println!("skipped: ../shared not found");
        return;
    };
    check_traps(engine, "en");
}

/// Finds `uri` (a path under the ESCO namespace) in the suggestions and returns its span.
fn span_of<'s>(suggestions: &'s Suggestions, path: &str) -> &'s str {
    let uri = format!("{ESCO}{path}");
    suggestions
        .skills
        .iter()
        .find(|skill| skill.uri == uri)
        .map(|skill| skill.span.quote.as_str())
        .unwrap_or_else(|| panic!("{path} missing from {suggestions:#?}"))
}

#[test]
fn italian_sentence_with_three_skills_gets_each_with_its_words() {
    let engine = demo();
    let text = "Il saldatore dovrà usare attrezzature per la saldatura, leggere disegni tecnici \
                standard e pulire i pavimenti del capannone.";
    let suggestions = engine
        .suggest_competences(text, Some("it"), 10)
        .expect("suggest");
    assert_eq!(
        span_of(&suggestions, "skill/2ee57de4-bffd-4194-b009-0060edec77cc"),
        "usare attrezzature per la saldatura"
    );
    let drawings = suggestions
        .skills
        .iter()
        .find(|skill| skill.label == "leggere disegni tecnici standard")
        .unwrap_or_else(|| panic!("{suggestions:#?}"));
    assert_eq!(drawings.span.quote, "leggere disegni tecnici standard");
    let floors = suggestions
        .skills
        .iter()
        .find(|skill| skill.label == "pulire i pavimenti")
        .unwrap_or_else(|| panic!("{suggestions:#?}"));
    assert_eq!(floors.span.quote, "pulire i pavimenti");
    assert_eq!(
        &text[floors.span.start..floors.span.end],
        "pulire i pavimenti"
    );
    assert!(suggestions.skills[..3]
        .iter()
        .all(|skill| !skill.label_fallback));
    // the job is named: the occupation hint is the welder
    assert_eq!(
        suggestions.occupations[0].uri,
        format!("{ESCO}occupation/7aedaa07-3884-4c5b-88f9-80997b2aa54b")
    );
}

#[test]
fn english_sentence_with_several_skills_gets_each_with_its_words() {
    let Some(engine) = english() else {
        println!("skipped: ../shared not found");
        return;
    };
    let text = "You will use welding equipment, read engineering drawings and follow verbal \
                instructions from the foreman.";
    let suggestions = engine
        .suggest_competences(text, Some("en"), 10)
        .expect("suggest");
    assert_eq!(
        span_of(&suggestions, "skill/2ee57de4-bffd-4194-b009-0060edec77cc"),
        "use welding equipment"
    );
    let drawings = suggestions
        .skills
        .iter()
        .find(|skill| skill.label == "read engineering drawings")
        .unwrap_or_else(|| panic!("{suggestions:#?}"));
    assert_eq!(drawings.span.quote, "read engineering drawings");
    let verbal = suggestions
        .skills
        .iter()
        .find(|skill| skill.label == "follow verbal instructions")
        .unwrap_or_else(|| panic!("{suggestions:#?}"));
    assert_eq!(verbal.span.quote, "follow verbal instructions");
}

#[test]
fn english_skill_described_rather_than_named() {
    let Some(engine) = english() else {
        println!("skipped: ../shared not found");
        return;
    };
    let text = "You will keep the warehouse stock up to date.";
    let suggestions = engine
        .suggest_competences(text, Some("en"), 10)
        .expect("suggest");
    // manage inventory, manage warehouse inventory, keep stock records, maintain stock control
    // systems, monitor stock level: in the top 10 (the label resemblance of issue 16 puts the
    // "keep up to date" skills, whose labels share more n-grams with the sentence, ahead of
    // them: "keep stock records" is 7th)
    let inventory = [
        "ab6265f2-a9bf-49e8-a9a5-67cbab4de38b",
        "5d2e82cc-5943-4218-a459-a1956fad2b63",
        "f60416d5-2d98-4401-ba0d-b92b53e01d86",
        "de804504-bd5c-465d-b54f-9da299d8ee90",
    ];
    let found = suggestions
        .skills
        .iter()
        .find(|skill| inventory.iter().any(|id| skill.uri.ends_with(id)))
        .unwrap_or_else(|| panic!("{suggestions:#?}"));
    assert!(
        found.span.quote.contains("stock") || found.span.quote.contains("warehouse"),
        "{found:?}"
    );
}

#[test]
fn english_labels_stand_in_for_skills_with_no_italian_label_and_are_marked() {
    let engine = demo();
    engine
        .import_esco(
            &[fixtures().join("esco-en")],
            &EscoImportOptions::default(),
            &NoProgress,
        )
        .expect("english fixture");
    let text = "Cerchiamo sviluppatore con esperienza in JavaScript e saldatura.";
    let suggestions = engine
        .suggest_competences(text, Some("it"), 10)
        .expect("suggest");
    let javascript = suggestions
        .skills
        .iter()
        .find(|skill| skill.uri.ends_with("3cd569a2-4f88-4c1e-9995-8dce8c5e51a7"))
        .unwrap_or_else(|| panic!("{suggestions:#?}"));
    assert!(javascript.label_fallback, "{javascript:?}");
    assert_eq!(javascript.label, "JavaScript");
    assert_eq!(javascript.span.quote, "JavaScript");
    // a skill with an Italian label keeps it, unmarked
    let welding = suggestions
        .skills
        .iter()
        .find(|skill| skill.uri.ends_with("2ee57de4-bffd-4194-b009-0060edec77cc"))
        .unwrap_or_else(|| panic!("{suggestions:#?}"));
    assert!(!welding.label_fallback);
    assert_eq!(welding.label, "usare attrezzature per la saldatura");
    // English labels stand in word for word only: an Italian word one letter away does not
    let near = engine
        .suggest_competences("Conoscenza di Javascrip", Some("it"), 10)
        .expect("suggest");
    assert!(
        near.skills.iter().all(|skill| !skill.label_fallback),
        "{near:#?}"
    );
}

/// The labelled job-ad sentences of ../shared (issue 16, point 1): prints `suggest` and the
/// TF-IDF baseline side by side.
#[test]
fn labelled_job_ad_sentences() {
    let Some(engine) = english() else {
        println!("skipped: ../shared not found");
        return;
    };
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/skill-extraction-dev");
    if !dir.is_dir() {
        println!("skipped: ../shared not found");
        return;
    }
    let reports = engine.suggest_eval_dev_sets(&dir).expect("dev sets");
    println!("{}", incontro_core::suggest::dev_table(&reports));
    for report in &reports {
        assert!(report.suggest.all.sentences >= 50, "{report:?}");
        assert!(report.baseline.all.rp_at_5 > 0.1, "{report:?}");
    }
}

/// Development aid: prints, for the sentences of half A only (half B stays unseen), the gold
/// skills and the top 5 of `suggest` and of the baseline.
#[test]
#[ignore = "prints half A of the labelled sentences for development"]
fn labelled_job_ad_sentences_half_a() {
    let Some(engine) = english() else {
        return;
    };
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/skill-extraction-dev");
    let taxonomy = engine.taxonomy().expect("taxonomy");
    let baseline = incontro_core::suggest::baseline::TfIdfBaseline::build(
        &taxonomy,
        incontro_core::suggest::Lang::English,
    );
    let label = |skill| taxonomy.preferred_label(skill, "en").unwrap_or_default();
    for (name, file) in incontro_core::suggest::DEV_SET_FILES {
        let text = std::fs::read_to_string(dir.join(file)).expect("set");
        let set =
            incontro_core::suggest::parse_dev_set(name, file, &text, &taxonomy).expect("parse");
        for sentence in set.sentences.iter().filter(|sentence| sentence.half() == 0) {
            let gold: Vec<&str> = sentence.gold.iter().map(|&skill| label(skill)).collect();
            println!("\n[{name}] {}\n  gold: {gold:?}", sentence.text);
            let ours = engine
                .suggest_competences(&sentence.text, Some("en"), 5)
                .expect("suggest");
            for skill in &ours.skills {
                let hit = sentence
                    .gold
                    .iter()
                    .any(|&gold| taxonomy.skill_uri(gold) == skill.uri);
                println!(
                    "  {} ours {:.3} {:<11} {:<45} <- {:?}",
                    if hit { "*" } else { " " },
                    skill.score,
                    skill.kind.as_str(),
                    skill.label,
                    skill.span.quote
                );
            }
            for (skill, score) in baseline.rank(&sentence.text, 5) {
                let hit = sentence.gold.contains(&skill);
                println!(
                    "  {} tfidf {:.3} {}",
                    if hit { "*" } else { " " },
                    score,
                    label(skill)
                );
            }
        }
    }
}

/// An Italian taxonomy written for this test (`esco-it`): four skills with labels, alternative
/// labels and descriptions, as the official Italian release has them.
fn italian_described() -> Engine {
    let engine = Engine::open_in_memory_on(incontro_core::records::DEMO_ANCHOR).expect("engine");
    engine
        .import_esco(
            &[fixtures().join("esco-it")],
            &EscoImportOptions::default(),
            &NoProgress,
        )
        .expect("italian fixture");
    engine
}

#[test]
fn italian_skill_described_rather_than_named() {
    let engine = italian_described();
    let text = "Dovrai mantenere aggiornate le giacenze del magazzino.";
    let suggestions = engine
        .suggest_competences(text, Some("it"), 5)
        .expect("suggest");
    let inventory = suggestions
        .skills
        .iter()
        .find(|skill| skill.uri.ends_with("ab6265f2-a9bf-49e8-a9a5-67cbab4de38b"))
        .unwrap_or_else(|| panic!("{suggestions:#?}"));
    assert_eq!(inventory.kind, MatchKind::Description);
    assert_eq!(inventory.span.quote, "aggiornate le giacenze del magazzino");
    // an alternative label, inflected
    let stock = engine
        .suggest_competences(
            "Gestione delle scorte e registrazione delle scorte",
            Some("it"),
            5,
        )
        .expect("suggest");
    assert!(
        stock.skills.iter().any(|skill| skill
            .uri
            .ends_with("f60416d5-2d98-4401-ba0d-b92b53e01d86")
            && skill.span.quote == "registrazione delle scorte"),
        "{stock:#?}"
    );
    // the description's "bilanciando" and the label's "bilancia" are not "bilancio"
    let balance = engine
        .suggest_competences("Redazione del bilancio annuale", Some("it"), 5)
        .expect("suggest");
    assert!(
        balance
            .skills
            .iter()
            .all(|skill| !skill.uri.ends_with("d18408c1-c2ba-4835-9ee0-352705d807d0")),
        "{balance:#?}"
    );
}

/// The label resemblance ranks sentence after sentence with reused buffers: each ranking is the
/// one a fresh computation gives, to the bit (no score left over from the sentence before).
#[test]
fn tf_idf_ranking_with_reused_buffers_is_the_fresh_ranking() {
    let engine = demo();
    let taxonomy = engine.taxonomy().expect("taxonomy");
    let baseline = incontro_core::suggest::baseline::TfIdfBaseline::build(
        &taxonomy,
        incontro_core::suggest::Lang::Italian,
    );
    let texts = [
        "gestione della cassa e del magazzino",
        "saldatura di tubi in acciaio, lettura di disegni tecnici",
        "contabilità e bilancio d'esercizio",
        "gestione della cassa e del magazzino",
    ];
    let mut scratch = incontro_core::suggest::baseline::RankScratch::default();
    let mut ranked = Vec::new();
    let mut nonempty = 0;
    for text in texts {
        baseline.rank_with(text, 20, &mut scratch, &mut ranked);
        let fresh = baseline.rank(text, 20);
        let bits = |list: &[(u32, f32)]| -> Vec<(u32, u32)> {
            list.iter()
                .map(|&(skill, score)| (skill, score.to_bits()))
                .collect()
        };
        assert_eq!(bits(&ranked), bits(&fresh), "{text}");
        nonempty += usize::from(!fresh.is_empty());
    }
    assert!(
        nonempty >= 3,
        "the demo labels share n-grams with these texts"
    );
}
