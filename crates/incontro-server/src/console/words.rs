//! Words for codes and numbers on console pages (issue 15): the messages of the pages added for
//! it, and small helpers that put the core's [`incontro_core::vocabulary`] and
//! [`incontro_core::italian`] on a page in the interface language.

use actix_web::http::header;
use actix_web::HttpResponse;
use chrono::NaiveDate;
use incontro_core::italian;
use incontro_core::model::PlacementType;
use incontro_core::spreadsheet::Sheet;
use incontro_core::vocabulary::Vocabulary;
use maud::{html, Markup};

use super::i18n::Lang;

/// A date as an office writes it: "mercoledì 2 dicembre 2026" in Italian, "Wednesday 2 December
/// 2026" in English.
pub fn date_long(lang: Lang, day: NaiveDate) -> String {
    match lang {
        Lang::It => italian::date_long(day),
        Lang::En => day.format("%A %-d %B %Y").to_string(),
    }
}

/// A date in tables: 02/12/2026 (both languages: the offices are Italian).
pub fn date_short(day: NaiveDate) -> String {
    italian::date_short(day)
}

/// A count with its noun in the interface language (`key_one` / `key_many` are message keys).
pub fn count(lang: Lang, number: usize, key_one: &str, key_many: &str) -> String {
    italian::count(number, lang.t(key_one), lang.t(key_many))
}

/// The contract of a vacancy in words: "Lavoro a tempo determinato", "Tirocinio di 6 mesi".
pub fn placement(lang: Lang, words: &Vocabulary, placement: &PlacementType) -> String {
    match placement {
        PlacementType::Contract { contract_type } => words
            .contract_type(contract_type)
            .map_or_else(|| contract_type.to_string(), str::to_string),
        PlacementType::Tirocinio { months, .. } => format!(
            "{} {}",
            lang.t("words.tirocinio_of"),
            italian::count(
                usize::from(*months),
                lang.t("words.month"),
                lang.t("words.months")
            )
        ),
    }
}

/// The `<datalist>` of every comune ("Capannori (LU)") for a type-ahead comune field.
pub fn comuni_datalist(id: &str, words: &Vocabulary) -> Markup {
    html! {
        datalist id=(id) {
            @for comune in words.comuni() {
                option value={ (comune.name) " (" (comune.province) ")" } {}
            }
        }
    }
}

/// A CSV download for Italian Excel: the core's [`Sheet`] as `attachment`, so the browser saves
/// it instead of showing text.
pub fn csv_download(file_name: &str, sheet: &Sheet) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{file_name}\""),
        ))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CONTENT_SECURITY_POLICY, "default-src 'none'"))
        .body(sheet.to_excel_csv())
}

/// (key, Italian, English): the messages of the issue-15 pages (desk words, vacancies, CSV).
pub const MESSAGES: &[(&str, &str, &str)] = &[
    ("words.tirocinio_of", "Tirocinio di", "Tirocinio of"),
    ("words.month", "mese", "month"),
    ("words.months", "mesi", "months"),
    ("words.position", "posto", "position"),
    ("words.positions", "posti", "positions"),
    ("words.competence", "competenza", "competence"),
    ("words.competences", "competenze", "competences"),
    ("words.born_m", "nato nel", "born in"),
    ("words.born_f", "nata nel", "born in"),
    ("words.born_x", "nato/a nel", "born in"),
    ("words.cf", "codice fiscale", "codice fiscale"),
    ("words.invalid_cf", "Codice fiscale non valido: controlla lettere e cifre (16 caratteri per una persona, 11 cifre per un'azienda).", "Invalid codice fiscale: check the letters and digits (16 characters for a person, 11 digits for a company)."),
    ("words.contacts", "Recapiti", "Contact details"),
    ("words.mobile", "Cellulare", "Mobile"),
    ("words.email", "E-mail", "E-mail"),
    ("words.no_contact", "non registrato", "not recorded"),
    ("words.contacts_audited", "La lettura dei recapiti è registrata nel registro degli accessi.", "Reading the contact details is recorded in the audit log."),
    ("words.near", "Vicino a (comune)", "Near (comune)"),
    ("words.near_help", "Scrivi il nome del comune e sceglilo dall'elenco; vuoto: il comune della persona.", "Type the comune's name and pick it from the list; empty: the person's comune."),
    ("words.unknown_comune", "Nessun comune con questo nome: sceglilo dall'elenco.", "No comune has this name: pick it from the list."),
    ("words.ambiguous_comune", "Più comuni hanno questo nome: scegli quello con la provincia giusta dall'elenco.", "Several comuni have this name: pick the one with the right province from the list."),
    ("words.doors", "Corsi che aprono più offerte", "Courses that open the most doors"),
    ("words.doors_help", "I corsi disponibili ordinati per quante offerte in più diventerebbero raggiungibili.", "Available courses ranked by how many more vacancies they would open."),
    ("words.doors_none", "Nessun corso disponibile apre nuove offerte per questa persona.", "No available course opens new vacancies for this person."),
    ("words.doors_opens", "offerte aperte", "vacancies opened"),
    ("words.doors_opens_one", "offerta aperta", "vacancy opened"),
    ("words.full_match", "Possiede tutte le competenze richieste: nessun corso necessario.", "Holds every required competence: no course needed."),
    ("words.company", "Azienda", "Company"),
    ("words.sector", "Settore", "Sector"),
    ("words.birth_year", "Anno di nascita", "Birth year"),
    ("words.comune", "Comune", "Comune"),
    ("words.name", "Nome", "Name"),
    ("words.open", "Apri", "Open"),
    ("words.withdrawn", "ritirata", "withdrawn"),
    ("words.online", "a distanza", "online"),
    ("words.assess", "Valuta", "Assess"),
    ("words.assess_submit", "Registra la valutazione", "Record the assessment"),
    ("words.interview_note", "Nota del colloquio (facoltativa)", "Interview note (optional)"),
    ("words.assessed", "Valutazione registrata.", "Assessment recorded."),
    ("words.conditions", "Condizioni della persona", "The person's conditions"),
    ("words.edit_conditions", "Modifica le condizioni", "Edit the conditions"),
    ("words.conditions_saved", "Condizioni salvate.", "Conditions saved."),
    ("words.contract_types", "Contratti accettati", "Contracts accepted"),
    ("words.contract_types_help", "Nessuna scelta: qualunque contratto.", "None chosen: any contract."),
    ("words.min_hours", "Ore settimanali, almeno", "Weekly hours, at least"),
    ("words.max_hours", "Ore settimanali, al massimo", "Weekly hours, at most"),
    ("words.max_km", "Distanza massima (km)", "Maximum distance (km)"),
    ("words.assess_column", "Valutazione", "Assessment"),
    ("words.invalid_weekly_hours", "Le ore settimanali vanno da 1 a 80, e il minimo non può superare il massimo.", "Weekly hours are 1 to 80, and the fewest may not be above the most."),
    ("words.invalid_distance", "La distanza massima va da 1 a 1000 km.", "The maximum distance is 1 to 1000 km."),
    ("words.unknown_contract_type", "Tipo di contratto sconosciuto: scegline uno dall'elenco.", "Unknown contract type: pick one from the list."),
    ("words.vacancy_closed", "L'offerta è chiusa: non si può più modificare.", "The vacancy is closed: it can no longer change."),
    ("words.invalid_date", "Data non valida: scegline una dal calendario.", "Invalid date: pick one from the calendar."),
    ("words.correct_or_withdraw", "Correggi o ritira", "Correct or withdraw"),
    ("words.correct", "Salva la correzione", "Save the correction"),
    ("words.withdraw", "Ritira", "Withdraw"),
    ("words.withdraw_reason", "Motivo del ritiro (facoltativo)", "Reason for withdrawing (optional)"),
    ("words.proposed_course", "Corso proposto (facoltativo)", "Proposed course (optional)"),
    ("words.no_course", "Nessun corso", "No course"),
    ("words.corrected", "Correzione salvata.", "Correction saved."),
    ("words.withdrawn_done", "Registrazione ritirata.", "Record withdrawn."),
    ("words.withdrawn_count", "ritirate", "withdrawn"),
    ("words.confirm_withdraw_title", "Ritirare la registrazione?", "Withdraw the record?"),
    ("words.confirm_withdraw_text", "Stai per ritirare dall'elenco della persona", "You are about to withdraw from the person's list"),
    ("words.confirm_withdraw_stays", "Non compare più tra le proposte e gli inserimenti della persona; il ritiro, con il motivo e con chi l'ha fatto, resta nel registro delle modifiche. Se era giusta, andrà registrata di nuovo.", "It no longer shows among the person's proposals and placements; the withdrawal, with the reason and who did it, stays in the change log. If it was right, it must be recorded again."),
    ("words.confirm_withdraw", "Sì, ritira", "Yes, withdraw"),
    ("words.confirm_withdraw_back", "No, torna alla persona", "No, back to the person"),
    ("words.add_competence", "Aggiungi una competenza valutata", "Add an assessed competence"),
    ("words.assess_title", "Valuta una competenza", "Assess a competence"),
    ("words.back_to_person", "Torna alla persona", "Back to the person"),
    ("words.invalid_level", "Il livello va da 1 (base) a 4 (esperto): sceglilo dall'elenco.", "The level is 1 (basic) to 4 (expert): pick it from the list."),
    ("vacancies.from_text", "Competenze suggerite dal testo dell'annuncio", "Competences suggested from the ad's text"),
    ("vacancies.text", "Testo dell'annuncio o appunti della visita", "Job ad or visit notes"),
    ("vacancies.text_help", "Incolla il testo: le competenze ESCO citate vengono suggerite, con livello e tipo da controllare prima di aggiungerle.", "Paste the text: the ESCO competences it names are suggested, with level and kind to check before adding them."),
    ("vacancies.suggest", "Suggerisci", "Suggest"),
    ("vacancies.suggested", "Competenze suggerite", "Suggested competences"),
    ("vacancies.no_suggestions", "Nessuna competenza nuova trovata nel testo.", "No new competence found in the text."),
    ("vacancies.add_this", "Aggiungi", "Add"),
    ("vacancies.add_chosen", "Aggiungi quelle scelte", "Add the chosen ones"),
    ("vacancies.add_all", "Aggiungi tutte", "Add all"),
    ("vacancies.save_level", "Salva il livello", "Save the level"),
    ("nav.offers", "Offerte", "Vacancies"),
    ("nav.drafts", "Bozze da validare", "Drafts to validate"),
    ("vacancies.title", "Offerte dell'ufficio", "The office's vacancies"),
    ("vacancies.none", "Nessuna offerta.", "No vacancy."),
    ("vacancies.status", "Stato", "Status"),
    ("vacancies.new_company", "Nuova azienda", "New company"),
    ("vacancies.create_company", "Crea l'azienda", "Create the company"),
    ("vacancies.partita_iva", "Partita IVA (facoltativa)", "Partita IVA (optional)"),
    ("vacancies.ateco_help", "Scrivi il codice ATECO o parte della descrizione e scegli dall'elenco.", "Type the ATECO code or part of its description and pick from the list."),
    ("vacancies.site", "Sede (comune)", "Site (comune)"),
    ("vacancies.address", "Indirizzo (facoltativo)", "Address (optional)"),
    ("vacancies.offers_tirocini", "Ospita tirocini", "Hosts tirocini"),
    ("vacancies.yes", "sì", "yes"),
    ("vacancies.no", "no", "no"),
    ("vacancies.per_month", "al mese", "a month"),
    ("vacancies.no_end", "senza scadenza", "no closing date"),
    ("vacancies.weekly_hours", "Ore settimanali", "Weekly hours"),
    ("vacancies.edit", "Modifica l'offerta", "Edit the vacancy"),
    ("vacancies.save", "Salva", "Save"),
    ("vacancies.back_to_draft", "L'offerta è validata: salvando le modifiche torna in bozza e va validata di nuovo.", "The vacancy is validated: saving changes sends it back to draft, to be validated again."),
    ("vacancies.close", "Chiudi l'offerta", "Close the vacancy"),
    ("vacancies.close_help", "Un'offerta chiusa non viene più proposta a nessuno.", "A closed vacancy is no longer offered to anyone."),
    ("vacancies.closed_done", "Offerta chiusa.", "Vacancy closed."),
    ("vacancies.edited_done", "Modifiche salvate.", "Changes saved."),
    ("vacancies.candidates", "Candidati in ordine di compatibilità", "Candidates by match"),
    ("vacancies.candidates_after_validation", "I candidati compaiono quando l'offerta è validata e aperta.", "Candidates appear once the vacancy is validated and open."),
    ("vacancies.no_candidates", "Nessun candidato nel tuo ufficio.", "No candidate in your office."),
    ("vacancies.drafts", "Bozze da validare", "Drafts to validate"),
    ("vacancies.drafts_help", "Le offerte in bozza del tuo ufficio, dalla più vecchia: apri una bozza per completarne le competenze e validarla.", "Your office's draft vacancies, oldest first: open one to complete its competences and validate it."),
    ("vacancies.no_drafts", "Nessuna bozza in attesa.", "No draft waiting."),
    ("vacancies.waiting", "già aperta", "already open"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_counts_in_both_languages() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        assert_eq!(date_long(Lang::It, day), "mercoledì 2 dicembre 2026");
        assert_eq!(date_long(Lang::En, day), "Wednesday 2 December 2026");
        assert_eq!(date_short(day), "02/12/2026");
        assert_eq!(
            count(Lang::It, 1, "words.position", "words.positions"),
            "1 posto"
        );
        assert_eq!(
            count(Lang::It, 2, "words.competence", "words.competences"),
            "2 competenze"
        );
    }
}
