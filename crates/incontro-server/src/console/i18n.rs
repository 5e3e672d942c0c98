//! Interface languages: Italian (default) and English. One message table, looked up by key;
//! `?lang=en` on any page switches and is remembered in a cookie.

use incontro_core::ErrorCode;
use serde::Deserialize;

/// The interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Italiano.
    #[default]
    It,
    /// English.
    En,
}

/// The `lang` query parameter of any page.
#[derive(Debug, Deserialize)]
pub struct LangQuery {
    /// `it` or `en`.
    pub lang: Option<String>,
}

impl Lang {
    /// `it` or `en`; anything else is `None`.
    pub fn parse(raw: &str) -> Option<Lang> {
        match raw.trim() {
            "it" => Some(Lang::It),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::It => "it",
            Lang::En => "en",
        }
    }

    /// The other language (for the switch).
    pub fn other(self) -> Lang {
        match self {
            Lang::It => Lang::En,
            Lang::En => Lang::It,
        }
    }

    /// The language's own name.
    pub fn name(self) -> &'static str {
        match self {
            Lang::It => "Italiano",
            Lang::En => "English",
        }
    }

    /// The message `key`; the key itself when missing (a test checks none is).
    pub fn t(self, key: &str) -> &'static str {
        for (name, italian, english) in MESSAGES.iter().chain(super::words::MESSAGES) {
            if *name == key {
                return match self {
                    Lang::It => italian,
                    Lang::En => english,
                };
            }
        }
        debug_assert!(false, "missing console message {key}");
        "?"
    }

    /// A readable message for an engine error code; the engine's (English) message otherwise.
    pub fn error_message(self, code: ErrorCode, message: &str) -> String {
        let key = match code {
            ErrorCode::SlotAlreadyBooked => "errors.slot_already_booked",
            ErrorCode::SlotNotBookable => "errors.slot_not_bookable",
            ErrorCode::PrivacyNotAccepted => "errors.privacy_not_accepted",
            ErrorCode::InvalidContact => "errors.invalid_contact",
            ErrorCode::MissingField => "errors.missing_field",
            ErrorCode::BookingNotFound => "errors.booking_not_found",
            ErrorCode::BookingAlreadyCancelled => "errors.booking_already_cancelled",
            ErrorCode::ForbiddenRole => "errors.forbidden_role",
            ErrorCode::OtherOffice => "errors.other_office",
            ErrorCode::InvalidCsrfToken => "errors.invalid_csrf_token",
            ErrorCode::JobSeekerNotFound => "errors.job_seeker_not_found",
            ErrorCode::QueryTooShort => "errors.query_too_short",
            ErrorCode::UnknownSkill => "errors.unknown_skill",
            ErrorCode::SlotInPast => "errors.slot_in_past",
            ErrorCode::InvalidTime => "errors.invalid_time",
            ErrorCode::ProposalExists => "errors.proposal_exists",
            ErrorCode::VacancyNotOpen => "errors.vacancy_not_open",
            ErrorCode::NoteTooLong => "errors.note_too_long",
            ErrorCode::InvalidNextCall => "errors.invalid_next_call",
            ErrorCode::TooManyRequests => "errors.too_many_requests",
            // Accounts, keys, slots (issue 15, points 5 and 12).
            ErrorCode::InvalidAccountName => "errors.invalid_account_name",
            ErrorCode::AccountExists => "errors.account_exists",
            ErrorCode::WeakPassword => "errors.weak_password",
            ErrorCode::InvalidLabel => "errors.invalid_label",
            ErrorCode::OfficeRequired => "errors.office_required",
            ErrorCode::InvalidOffice => "errors.invalid_office",
            ErrorCode::AccountNotFound => "errors.account_not_found",
            ErrorCode::ApiKeyNotFound => "errors.api_key_not_found",
            ErrorCode::SlotOverlaps => "errors.slot_overlaps",
            ErrorCode::InvalidWeeks => "errors.invalid_weeks",
            ErrorCode::NoShowTooEarly => "errors.no_show_too_early",
            // Issue 15 (words).
            ErrorCode::UnknownComune => "words.unknown_comune",
            ErrorCode::AmbiguousComune => "words.ambiguous_comune",
            ErrorCode::InvalidCodiceFiscale => "words.invalid_cf",
            ErrorCode::InvalidWeeklyHours => "words.invalid_weekly_hours",
            ErrorCode::InvalidDistance => "words.invalid_distance",
            ErrorCode::UnknownContractType => "words.unknown_contract_type",
            ErrorCode::VacancyClosed => "words.vacancy_closed",
            ErrorCode::InvalidDate => "words.invalid_date",
            _ => return message.to_string(),
        };
        self.t(key).to_string()
    }
}

/// A day as the office reads it: "mercoledì 2 dicembre 2026" (issue 15); in English
/// "Wednesday 2 December 2026".
pub fn day_in_words(lang: Lang, day: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    const WEEKDAYS: [&str; 7] = [
        "lunedì",
        "martedì",
        "mercoledì",
        "giovedì",
        "venerdì",
        "sabato",
        "domenica",
    ];
    const MONTHS: [&str; 12] = [
        "gennaio",
        "febbraio",
        "marzo",
        "aprile",
        "maggio",
        "giugno",
        "luglio",
        "agosto",
        "settembre",
        "ottobre",
        "novembre",
        "dicembre",
    ];
    match lang {
        Lang::It => format!(
            "{} {} {} {}",
            WEEKDAYS[day.weekday().num_days_from_monday() as usize],
            day.day(),
            MONTHS[day.month0() as usize],
            day.year()
        ),
        Lang::En => day.format("%A %-d %B %Y").to_string(),
    }
}

/// (key, Italian, English).
const MESSAGES: &[(&str, &str, &str)] = &[
    ("layout.skip", "Vai al contenuto", "Skip to content"),
    ("layout.nav", "Sezioni", "Sections"),
    ("layout.sign_out", "Esci", "Sign out"),
    ("layout.footer", "Incontro · servizi per il lavoro", "Incontro · employment services"),
    ("layout.back_home", "Torna alla pagina iniziale", "Back to the home page"),
    ("nav.desk", "Sportello", "Desk"),
    ("nav.companies", "Aziende e offerte", "Companies and vacancies"),
    ("nav.appointments", "Appuntamenti", "Appointments"),
    ("role.admin", "amministratore", "administrator"),
    ("role.validator", "validatore delle competenze", "competency validator"),
    ("role.desk", "operatore di sportello", "desk staff"),
    ("role.operator", "operatore outreach", "outreach operator"),
    ("role.analyst", "analista", "analyst"),
    ("error.forbidden", "Accesso non consentito", "Access denied"),
    ("error.not_found", "Non trovato", "Not found"),
    ("error.conflict", "Operazione non possibile", "Not possible"),
    ("error.internal", "Errore interno", "Internal error"),
    ("error.internal_detail", "Si è verificato un errore. Riprova tra poco.", "Something went wrong. Please try again shortly."),
    ("error.invalid", "Dati non validi", "Invalid input"),
    ("errors.slot_already_booked", "Questo orario è appena stato prenotato da un'altra persona: scegline un altro.", "This slot has just been booked by someone else: please choose another."),
    ("errors.slot_not_bookable", "Questo orario non è più disponibile.", "This slot is no longer available."),
    ("errors.privacy_not_accepted", "Per prenotare occorre accettare l'informativa sulla privacy.", "You must accept the privacy notice to book."),
    ("errors.invalid_contact", "Il recapito deve essere un indirizzo e-mail o un numero di telefono.", "The contact must be an e-mail address or a phone number."),
    ("errors.missing_field", "Compila tutti i campi obbligatori.", "Please fill in every required field."),
    ("errors.booking_not_found", "Nessuna prenotazione con questo codice.", "No booking has this reference."),
    ("errors.booking_already_cancelled", "La prenotazione era già stata annullata.", "The booking was already cancelled."),
    ("errors.forbidden_role", "Il tuo ruolo non consente di aprire questa pagina.", "Your role may not open this page."),
    ("errors.other_office", "Questo dato appartiene a un altro ufficio.", "This belongs to another office."),
    ("errors.invalid_csrf_token", "Il modulo è scaduto o non proviene da questo sito: ricarica la pagina e riprova.", "The form expired or did not come from this site: reload the page and try again."),
    ("errors.job_seeker_not_found", "Nessuna persona trovata.", "No person found."),
    ("errors.query_too_short", "Scrivi almeno 2 caratteri.", "Type at least 2 characters."),
    ("errors.unknown_skill", "Nessuna competenza corrisponde al testo: scegline una dall'elenco.", "No skill matches this text: pick one from the list."),
    ("errors.slot_in_past", "Gli orari devono essere nel futuro.", "Slots must be in the future."),
    ("errors.invalid_time", "Orario non valido: usa HH:MM.", "Invalid time: use HH:MM."),
    ("home.title", "Benvenuto", "Welcome"),
    ("home.office", "ufficio", "office"),
    ("home.nothing", "Nessuna sezione della console per il tuo ruolo.", "No console section for your role."),
    ("home.api_hint", "Le altre funzioni sono disponibili tramite l'API (/v1, documentazione su /docs).", "Other functions are available through the API (/v1, documentation at /docs)."),
    ("home.desk", "Cerca una persona, vedi competenze, esperienze e offerte compatibili con la spiegazione del punteggio.", "Find a person, see competences, work history and matching vacancies with the score explained."),
    ("home.validator", "Aziende, offerte e scomposizione in competenze; validazione.", "Companies, vacancies and their competence breakdown; validation."),
    ("home.appointments", "Pubblica gli orari dello sportello online e consulta l'agenda.", "Publish the online desk's slots and see the agenda."),
    ("signin.title", "Accedi", "Sign in"),
    ("signin.key", "Chiave di accesso", "Access key"),
    ("signin.key_help", "La chiave personale ricevuta dall'amministratore (inizia con inc_).", "The personal key you received from the administrator (starts with inc_)."),
    ("signin.submit", "Accedi", "Sign in"),
    ("signin.invalid", "Nome o password errati, account disattivato o chiave non valida.", "Wrong name or password, disabled account or unknown key."),
    ("signin.public_booking", "Sei un cittadino? Prenota un appuntamento online", "Are you a resident? Book an online appointment"),
    ("desk.title", "Sportello: cerca una persona", "Desk: find a person"),
    ("desk.search_label", "Nome e cognome o codice fiscale", "Name or codice fiscale"),
    ("desk.search_help", "La ricerca viene registrata nel registro degli accessi.", "Searches are recorded in the audit log."),
    ("desk.search", "Cerca", "Search"),
    ("desk.results", "Risultati", "Results"),
    ("desk.no_results", "Nessuna persona trovata nel tuo ufficio.", "No person found in your office."),
    ("desk.id", "Codice", "Id"),
    ("desk.born", "nata/o nel", "born"),
    ("desk.accepts_tirocinio", "disponibile al tirocinio", "open to a tirocinio"),
    ("desk.competences", "Competenze ed evidenze", "Competences and evidence"),
    ("desk.skill", "Competenza", "Skill"),
    ("desk.level", "Livello", "Level"),
    ("desk.evidence", "Evidenza", "Evidence"),
    ("desk.source", "Provenienza", "Source"),
    ("desk.history", "Esperienze di lavoro", "Work history"),
    ("desk.no_history", "Nessuna esperienza registrata.", "No past jobs recorded."),
    ("desk.vacancies", "Offerte compatibili", "Matching vacancies"),
    ("ranking.suggestion", "Questa classifica è un suggerimento del sistema: decide l'operatore, che valuta ogni caso e può scegliere anche oltre i primi posti. Ogni proposta registra la posizione che aveva.", "This ranking is the system's suggestion for staff to judge: staff decide, case by case, and may choose beyond the top of the list. Each proposal records the rank it had."),
    ("ranking.logged", "Classifica registrata nel registro delle classifiche con il numero", "Ranking recorded in the ranking log as number"),
    ("desk.filters", "Filtri", "Filters"),
    ("desk.distance", "Distanza massima (km)", "Maximum distance (km)"),
    ("desk.placement", "Tipo di inserimento", "Placement"),
    ("desk.any", "Tutti", "Any"),
    ("desk.contract", "Contratto", "Contract"),
    ("desk.tirocinio", "Tirocinio", "Tirocinio"),
    ("desk.vacancy_source", "Fonte", "Source"),
    ("desk.public", "Centro per l'impiego", "Public job centre"),
    ("desk.agency", "Agenzia", "Agency"),
    ("desk.exact", "Solo competenze esatte", "Exact competences only"),
    ("desk.apply", "Applica", "Apply"),
    ("desk.no_vacancies", "Nessuna offerta con questi filtri.", "No vacancy with these filters."),
    ("desk.months", "mesi", "months"),
    ("desk.score", "Compatibilità", "Match"),
    ("desk.explanation", "Perché questo punteggio", "Why this score"),
    ("evidence.declared", "dichiarata", "declared"),
    ("evidence.assessed", "verificata", "assessed"),
    ("evidence.certified", "certificata", "certified"),
    ("evidence.work_history", "da esperienza", "from work history"),
    ("evidence.course", "da corso", "from a course"),
    ("reports.validated_only", "Solo offerte validate: le bozze non sono contate.", "Validated vacancies only: drafts are not counted."),
    ("desk.no_tirocinio", "non accetta tirocini", "does not accept tirocini"),
    ("desk.contract_types", "contratti accettati:", "contracts accepted:"),
    ("desk.max_hours", "ore settimanali al massimo:", "weekly hours at most:"),
    ("desk.max_km", "distanza massima:", "maximum distance:"),
    ("explain.gap", "lacuna essenziale", "essential gap"),
    ("explain.presumed", "presunta da esperienza", "presumed from experience"),
    ("desk.all_conditions", "Mostra anche le offerte escluse dalle condizioni della persona (in fondo)", "Also show vacancies the person's conditions rule out (last)"),
    ("desk.unsuitable", "Non rispetta le condizioni della persona:", "Does not meet the person's conditions:"),
    ("explain.met", "posseduta", "met"),
    ("explain.related", "affine", "related"),
    ("explain.missing", "mancante", "missing"),
    ("explain.missing_detail", "nessuna competenza corrispondente", "no matching competence"),
    ("explain.level_held", "livello posseduto/richiesto", "level held/required"),
    ("explain.level_low", "livello inferiore: posseduto/richiesto", "level too low: held/required"),
    ("explain.via", "tramite", "through"),
    ("explain.level", "livello", "level"),
    ("explain.essential", "essenziale", "essential"),
    ("companies.title", "Aziende", "Companies"),
    ("companies.count", "aziende del tuo ufficio", "companies of your office"),
    ("companies.name", "Ragione sociale", "Name"),
    ("companies.sites", "Sedi", "Sites"),
    ("companies.tax_code", "Codice fiscale", "Tax code"),
    ("companies.offers_tirocini", "offre tirocini", "offers tirocini"),
    ("companies.vacancies", "Offerte", "Vacancies"),
    ("companies.no_vacancies", "Nessuna offerta.", "No vacancies."),
    ("vacancy.draft", "bozza", "draft"),
    ("vacancy.validated", "validata", "validated"),
    ("vacancy.closed", "chiusa", "closed"),
    ("vacancy.new", "Nuova offerta", "New vacancy"),
    ("vacancy.title_field", "Titolo", "Title"),
    ("vacancy.description", "Descrizione", "Description"),
    ("vacancy.occupation", "Professione ESCO", "ESCO occupation"),
    ("vacancy.occupation_help", "Scrivi almeno 2 lettere e scegli dall'elenco: le sue competenze essenziali saranno suggerite.", "Type 2 letters or more and pick from the list: its essential skills will be suggested."),
    ("vacancy.comune", "Sede (comune)", "Site (comune)"),
    ("vacancy.positions", "Posti", "Positions"),
    ("vacancy.positions_short", "posti", "positions"),
    ("vacancy.placement", "Tipo di inserimento", "Placement"),
    ("vacancy.contract_type", "Tipologia contrattuale (COB)", "Contract type (COB)"),
    ("vacancy.months", "Durata tirocinio (mesi)", "Tirocinio length (months)"),
    ("vacancy.indemnity", "Indennità mensile (€)", "Monthly indemnity (€)"),
    ("vacancy.opens", "Aperta dal", "Open from"),
    ("vacancy.closes", "Aperta fino al", "Open until"),
    ("vacancy.create", "Crea bozza", "Create draft"),
    ("vacancy.breakdown", "Competenze richieste", "Required competences"),
    ("vacancy.no_requirements", "Nessuna competenza ancora.", "No competences yet."),
    ("vacancy.kind", "Tipo", "Kind"),
    ("vacancy.actions", "Azioni", "Actions"),
    ("vacancy.essential", "essenziale", "essential"),
    ("vacancy.optional", "facoltativa", "optional"),
    ("vacancy.remove", "Rimuovi", "Remove"),
    ("vacancy.add", "Aggiungi una competenza", "Add a competence"),
    ("vacancy.skill_search", "Competenza (italiano o inglese)", "Skill (Italian or English)"),
    ("vacancy.skill_help", "Scrivi almeno 2 lettere; frecce e Invio per scegliere.", "Type 2 letters or more; arrows and Enter to pick."),
    ("vacancy.add_button", "Aggiungi", "Add"),
    ("vacancy.suggestions", "Suggerite dalla professione", "Suggested by the occupation"),
    ("vacancy.suggestions_help", "Competenze essenziali della professione ESCO scelta, non ancora aggiunte (livello 2, essenziali).", "Essential skills of the chosen ESCO occupation not added yet (level 2, essential)."),
    ("vacancy.validation", "Validazione", "Validation"),
    ("vacancy.validated_by", "Validata da", "Validated by"),
    ("vacancy.on", "il", "on"),
    ("vacancy.validate_help", "La validazione registra il tuo nome e la data di oggi.", "Validation records your name and today's date."),
    ("vacancy.validate", "Valida", "Validate"),
    ("vacancy.validate_not_allowed", "Solo un validatore può validare.", "Only a validator may validate."),
    ("level.1", "base", "basic"),
    ("level.2", "intermedio", "intermediate"),
    ("level.3", "avanzato", "advanced"),
    ("level.4", "esperto", "expert"),
    ("appointments.title", "Appuntamenti dello sportello online", "Online desk appointments"),
    ("appointments.publish", "Pubblica orari", "Publish slots"),
    ("appointments.day", "Giorno", "Day"),
    ("appointments.times", "Orari di inizio", "Start times"),
    ("appointments.times_help", "Separati da virgole, per esempio 09:00, 09:30, 10:00.", "Comma-separated, for example 09:00, 09:30, 10:00."),
    ("appointments.minutes", "Durata (minuti)", "Length (minutes)"),
    ("appointments.room_url", "Indirizzo del servizio di videochiamata", "Video-call service address"),
    ("appointments.office", "Ufficio:", "Office:"),
    ("appointments.publish_button", "Pubblica", "Publish"),
    ("appointments.agenda", "Agenda (prossimi 30 giorni)", "Agenda (next 30 days)"),
    ("appointments.empty", "Nessun orario pubblicato.", "No slots published."),
    ("appointments.when", "Quando", "When"),
    ("appointments.staff", "Operatore", "Staff"),
    ("appointments.state", "Stato", "State"),
    ("appointments.resident", "Cittadino", "Resident"),
    ("appointments.withdrawn", "ritirato", "withdrawn"),
    ("appointments.booked", "prenotato", "booked"),
    ("appointments.free", "libero", "free"),
    ("appointments.video", "Collegamento video", "Video link"),
    ("appointments.withdraw", "Ritira", "Withdraw"),
    ("training.title", "Corsi per colmare le lacune", "Courses that close the gaps"),
    ("training.link", "Corsi per colmare le lacune", "Courses that close the gaps"),
    ("training.before", "Compatibilità oggi:", "Match today:"),
    ("training.after", "Dopo i corsi:", "After the courses:"),
    ("training.gaps", "Competenze essenziali mancanti", "Missing essential competences"),
    ("training.no_gaps", "Nessuna lacuna sulle competenze essenziali.", "No gap on the essential competences."),
    ("training.courses", "Corsi proposti", "Proposed courses"),
    ("training.no_courses", "Nessun corso disponibile chiude queste lacune.", "No available course closes these gaps."),
    ("training.course", "Corso", "Course"),
    ("training.provider", "Ente", "Provider"),
    ("training.hours", "Ore", "Hours"),
    ("training.dates", "Date", "Dates"),
    ("training.where", "Dove", "Where"),
    ("training.total", "Totale:", "Total:"),
    ("training.untaught", "Lacune che nessun corso chiude", "Gaps no course closes"),
    ("training.placement", "Percorso consigliato", "Suggested path"),
    ("nav.reports", "Report", "Reports"),
    ("home.reports", "Domanda di competenze del territorio e funnel delle campagne di outreach, con grafici e CSV.", "Competence demand of an area and the outreach campaigns' funnel, with charts and CSV."),
    ("reports.title", "Report", "Reports"),
    ("reports.fairness_link", "Equità delle classifiche e supervisione umana", "Fairness of the rankings and human oversight"),
    ("fairness.title", "Equità delle classifiche", "Fairness of the rankings"),
    ("fairness.explain", "Per sesso, fascia d'età, cittadinanza e disabilità (mai usati nel punteggio): esposizione nei primi 10 rispetto alla quota di persone, presenza nei primi 10 e punteggio medio rispetto al gruppo migliore. Sotto 0,8 il segnale dei quattro quinti invita a guardare i dati: non è un verdetto. Le cifre \"solo competenze\" mostrano quanto del divario viene dalle competenze possedute.", "By sex, age band, citizenship and disability (never used by the score): exposure in the top 10 against the share of people, presence in the top 10 and mean score against the best group. Below 0.8 the four-fifths flag asks you to look at the data: it is not a verdict. The \"competences only\" figures show how much of a gap comes from competences held."),
    ("fairness.chart", "Esposizione nei primi posti rispetto alla quota di persone (%)", "Exposure in the top of the lists against the share of people (%)"),
    ("fairness.exposure", "Rapporto di esposizione", "Exposure ratio"),
    ("fairness.rate", "Rapporto presenza nei primi 10", "Top-10 rate ratio"),
    ("fairness.score", "Rapporto punteggio medio", "Mean score ratio"),
    ("fairness.flag", "Quattro quinti", "Four-fifths"),
    ("fairness.competences_only", "Solo competenze (esposizione / presenza / punteggio)", "Competences only (exposure / rate / score)"),
    ("fairness.yes", "da guardare", "look closer"),
    ("fairness.no", "no", "no"),
    ("fairness.people", "Persone", "People"),
    ("fairness.area", "Territorio", "Area"),
    ("fairness.oversight", "Supervisione umana", "Human oversight"),
    ("fairness.records", "proposte e inserimenti con la posizione registrata", "proposals and placements with their rank recorded"),
    ("fairness.not_first", "non primi in nessuna classifica:", "first in neither list:"),
    ("fairness.beyond_top", "oltre i primi 10 di entrambe:", "beyond the top 10 of both:"),
    ("fairness.unranked", "fuori classifica:", "not ranked:"),
    ("reports.area", "Territorio e periodo", "Area and period"),
    ("reports.comuni", "Comuni", "Comuni"),
    ("reports.comuni_help", "Nomi separati da virgole, per esempio Lucca, Capannori; vuoto = tutti.", "Names separated by commas, for example Lucca, Capannori; empty = all."),
    ("reports.from", "Dal", "From"),
    ("reports.to", "Al", "To"),
    ("reports.campaign", "Campagna di outreach", "Outreach campaign"),
    ("reports.demand", "Domanda di competenze", "Competence demand"),
    ("reports.vacancies", "offerte aperte", "open vacancies"),
    ("reports.seekers", "persone in cerca di lavoro", "job seekers"),
    ("reports.courses", "corsi", "courses"),
    ("reports.demand_chart", "Grafico: competenze più richieste che mancano sul territorio", "Chart: most demanded competences missing in the area"),
    ("reports.download_csv", "Scarica CSV", "Download CSV"),
    ("reports.demand_col", "Domanda", "Demand"),
    ("reports.supply", "Persone con la competenza", "People holding it"),
    ("reports.gap", "Divario", "Gap"),
    ("reports.funnel", "Funnel dell'outreach", "Outreach funnel"),
    ("reports.no_funnel", "Nessuna campagna di outreach.", "No outreach campaign."),
    ("reports.funnel_chart", "Persone in lista, che hanno risposto, prese in carico", "People listed, answered, taken in charge"),
    ("reports.dimension", "Dimensione", "Dimension"),
    ("reports.people", "In lista", "Listed"),
    ("reports.called", "Chiamate", "Called"),
    ("reports.answered", "Hanno risposto", "Answered"),
    ("reports.taken", "Prese in carico", "Taken in charge"),
    ("reports.enrolled", "Iscritte a corsi", "Enrolled"),
    ("reports.placed", "Inserite (dichiarato)", "Placed (reported)"),
    ("reports.confirmed", "Inserite (confermato COB)", "Placed (COB confirmed)"),
    ("nav.calls", "Chiamate", "Calls"),
    ("home.calls", "La lista di chiamate di oggi, una persona alla volta, con l'esito di ogni chiamata.", "Today's call list, one person at a time, with the outcome of each call."),
    ("calls.title", "Chiamate di oggi", "Today's calls"),
    ("calls.recorded", "Registrato:", "Recorded:"),
    ("calls.recorded_other", "esito", "outcome"),
    ("reports.definitions", "Che cosa contano i passi", "What the steps count"),
    ("calls.person", "Persona", "Person"),
    ("calls.ended", "rapporto terminato il", "job ended on"),
    ("calls.attempts", "tentativi:", "attempts:"),
    ("calls.vacancies", "Offerte adatte:", "Fitting vacancies:"),
    ("calls.outcome", "Esito della chiamata", "Call outcome"),
    ("calls.answered", "Ha risposto", "Answered"),
    ("calls.no_answer", "Non risponde", "No answer"),
    ("calls.busy", "Occupato", "Busy"),
    ("calls.wrong_number", "Numero errato", "Wrong number"),
    ("calls.refused", "Rifiuta", "Refused"),
    ("calls.taken", "Presa in carico", "Taken in charge"),
    ("calls.previous", "Precedente", "Previous"),
    ("calls.next", "Successiva", "Next"),
    ("calls.empty", "Nessuna chiamata da fare oggi.", "No calls to make today."),
    ("booking.title", "Prenota un appuntamento online", "Book an online appointment"),
    ("booking.intro", "Lo sportello lavoro ti riceve in videochiamata. Scegli un orario libero e lascia un recapito.", "The job desk meets you by video call. Choose a free slot and leave a contact."),
    ("booking.no_slots", "Al momento non ci sono orari liberi. Riprova nei prossimi giorni.", "No free slots at the moment. Please try again in a few days."),
    ("booking.slot", "Orario", "Slot"),
    ("booking.desk", "Sportello", "Desk"),
    ("booking.name", "Nome e cognome", "Name and surname"),
    ("booking.contact", "E-mail o telefono", "E-mail or phone"),
    ("booking.contact_help", "Lo useremo solo per questo appuntamento.", "We use it only for this appointment."),
    ("booking.topic", "Di cosa vuoi parlare", "What would you like to discuss"),
    ("booking.language", "Lingua del colloquio", "Language of the meeting"),
    ("booking.privacy_title", "Informativa sulla privacy", "Privacy notice"),
    ("booking.privacy_text", "I dati (nome, recapito, argomento) sono trattati dal centro per l'impiego solo per gestire l'appuntamento (art. 13 GDPR), sono visibili al solo personale dello sportello e vengono cancellati dopo l'appuntamento. Puoi annullare in ogni momento con il codice che riceverai.", "Your data (name, contact, topic) are processed by the job centre only to manage the appointment (art. 13 GDPR), are visible only to desk staff and are deleted after the appointment. You can cancel at any time with the reference you will receive."),
    ("booking.privacy_accept", "Ho letto l'informativa sulla privacy", "I have read the privacy notice"),
    ("booking.submit", "Prenota", "Book"),
    ("booking.choose_slot", "Scegli un orario.", "Please choose a slot."),
    ("booking.confirmed", "Appuntamento prenotato", "Appointment booked"),
    ("booking.confirmed_text", "Ti aspettiamo all'orario scelto con il collegamento qui sotto.", "We will meet you at the chosen time with the link below."),
    ("booking.video_link", "Collegamento alla videochiamata", "Video-call link"),
    ("booking.reference", "Codice di prenotazione", "Booking reference"),
    ("booking.keep_reference", "Conserva il codice: serve per annullare.", "Keep the reference: you need it to cancel."),
    ("booking.cancel_link", "Annulla una prenotazione", "Cancel a booking"),
    ("booking.cancel_title", "Annulla una prenotazione", "Cancel a booking"),
    ("booking.cancel_button", "Annulla la prenotazione", "Cancel the booking"),
    ("booking.cancelled", "Prenotazione annullata. L'orario torna disponibile.", "Booking cancelled. The slot is free again."),
    ("desk.placements", "Proposte e inserimenti", "Proposals and placements"),
    ("desk.no_placements", "Nessuna proposta o inserimento registrato.", "No proposal or placement recorded."),
    ("desk.proposal_recorded", "Proposta registrata.", "Proposal recorded."),
    ("desk.placement_recorded", "Inserimento registrato.", "Placement recorded."),
    ("desk.proposal", "Proposta", "Proposal"),
    ("desk.placement_kind", "Inserimento", "Placement"),
    ("desk.courses", "corsi:", "courses:"),
    ("desk.record", "Registra proposta o inserimento", "Record a proposal or a placement"),
    ("desk.kind", "Tipo di registrazione", "What to record"),
    ("desk.note", "Nota (facoltativa)", "Note (optional)"),
    ("desk.note_help", "Al massimo 500 caratteri. Dato personale: visibile solo allo sportello.", "At most 500 characters. Personal data: visible to the desk only."),
    ("desk.record_submit", "Registra", "Record"),
    ("errors.proposal_exists", "Questa proposta è già registrata.", "This proposal is already recorded."),
    ("errors.vacancy_not_open", "Il posto non è aperto: non si può registrare un inserimento.", "The vacancy is not open: a placement cannot be recorded."),
    ("errors.note_too_long", "La nota supera i 500 caratteri.", "The note is longer than 500 characters."),
    ("errors.invalid_next_call", "La data della prossima chiamata deve essere successiva a oggi e vale solo per «non risponde» o «occupato».", "The next-call date must be after today and is only for no answer or busy."),
    ("errors.too_many_requests", "Troppi tentativi da questo indirizzo: riprova tra qualche minuto.", "Too many attempts from this address: try again in a few minutes."),
    ("calls.note", "Nota (facoltativa)", "Note (optional)"),
    ("calls.note_help", "Al massimo 500 caratteri. Dato personale: non finisce nei log.", "At most 500 characters. Personal data: never logged."),
    ("calls.next_call", "Prossima chiamata (facoltativa)", "Next call (optional)"),
    ("calls.next_call_help", "Solo per «non risponde» o «occupato»: la persona torna in lista quel giorno.", "Only for no answer or busy: the person comes back on the list that day."),
    ("calls.last_note", "Ultima nota:", "Last note:"),
    // Staff accounts, sessions, a lost session's form, admin pages (issue 15, points 4, 5, 13).
    ("signin.name", "Nome utente", "User name"),
    ("signin.password", "Password", "Password"),
    ("signin.with_key", "Accedi con una chiave API (programmi e prove)", "Sign in with an API key (programs and tests)"),
    ("signin.resume", "La sessione è scaduta. Accedi di nuovo: quello che stavi inviando è conservato e verrà inviato subito dopo.", "Your session expired. Sign in again: what you were sending is kept and will be sent right after."),
    ("resume.title", "Invio in corso", "Sending"),
    ("resume.text", "Hai eseguito di nuovo l'accesso. Il modulo che stavi inviando è stato conservato: viene inviato ora (se non parte da solo, premi il pulsante).", "You are signed in again. The form you were sending was kept: it is being sent now (if it does not go by itself, press the button)."),
    ("resume.send", "Invia il modulo", "Send the form"),
    ("resume.discard", "Lascia perdere e torna alla pagina iniziale", "Discard it and go to the home page"),
    ("nav.admin", "Amministrazione", "Administration"),
    ("home.admin", "Account del personale, chiavi API per i programmi, chi ha consultato i dati di una persona.", "Staff accounts, API keys for programs, who looked at a person's data."),
    ("admin.title", "Amministrazione", "Administration"),
    ("admin.accounts", "Account del personale", "Staff accounts"),
    ("admin.keys", "Chiavi API", "API keys"),
    ("admin.audit", "Chi ha consultato una persona", "Who looked at a person"),
    ("admin.no_accounts", "Nessun account: creane uno qui sotto.", "No account yet: create one below."),
    ("admin.name", "Nome utente", "User name"),
    ("admin.name_help", "Da 2 a 64 caratteri: lettere minuscole, cifre, punto, trattino (es. marta.lazzari).", "2 to 64 characters: lower-case letters, digits, dot, hyphen (e.g. marta.lazzari)."),
    ("admin.label", "Nome e ufficio", "Name and office"),
    ("admin.role", "Ruolo", "Role"),
    ("admin.office", "Ufficio (sigla provincia)", "Office (province code)"),
    ("admin.office_help", "Obbligatorio per sportello, validatori e operatori (es. LU); vuoto per amministratori e analisti.", "Required for desk, validators and operators (e.g. LU); empty for administrators and analysts."),
    ("admin.state", "Stato", "State"),
    ("admin.actions", "Azioni", "Actions"),
    ("admin.active", "attivo", "active"),
    ("admin.disabled", "disattivato", "disabled"),
    ("admin.revoked", "revocata", "revoked"),
    ("admin.reset_password", "Reimposta la password", "Reset the password"),
    ("admin.new_password", "Nuova password", "New password"),
    ("admin.reset_submit", "Salva la nuova password", "Save the new password"),
    ("admin.disable", "Disattiva", "Disable"),
    ("admin.enable", "Riattiva", "Enable"),
    ("admin.new_account", "Nuovo account", "New account"),
    ("admin.password", "Password iniziale", "Initial password"),
    ("admin.password_help", "Almeno 10 caratteri, senza il nome utente. Comunicala di persona; le sessioni aperte finiscono a ogni reimpostazione.", "At least 10 characters, without the user name. Hand it over in person; open sessions end at every reset."),
    ("admin.create_account", "Crea l'account", "Create the account"),
    ("admin.account_created", "Account creato.", "Account created."),
    ("admin.password_reset", "Password reimpostata: le sessioni aperte dell'account sono terminate.", "Password reset: the account's open sessions ended."),
    ("admin.account_disabled", "Account disattivato: le sue sessioni sono terminate.", "Account disabled: its sessions ended."),
    ("admin.account_enabled", "Account riattivato.", "Account enabled."),
    ("admin.key_revoked", "Chiave revocata.", "Key revoked."),
    ("admin.keys_help", "Le chiavi servono ai programmi che usano l'API (/v1); il personale accede con il proprio account.", "Keys are for programs using the API (/v1); staff sign in with their own account."),
    ("admin.key_once", "Copia ora la chiave: non verrà più mostrata.", "Copy the key now: it will not be shown again."),
    ("admin.revoke", "Revoca", "Revoke"),
    ("admin.new_key", "Nuova chiave", "New key"),
    ("admin.create_key", "Crea la chiave", "Create the key"),
    ("admin.person", "Codice della persona", "Person's id"),
    ("admin.person_help", "Il codice interno (es. JS0001), non il codice fiscale.", "The internal id (e.g. JS0001), not the codice fiscale."),
    ("admin.audit_submit", "Mostra gli accessi", "Show the accesses"),
    ("admin.audit_of", "Accessi ai dati di", "Accesses to the data of"),
    ("admin.audit_none", "Nessun accesso registrato.", "No access recorded."),
    ("admin.when", "Quando", "When"),
    ("admin.who", "Chi", "Who"),
    ("admin.what", "Che cosa", "What"),
    ("admin.outcome", "Esito", "Outcome"),
    ("admin.outcome_ok", "consentito", "allowed"),
    ("admin.outcome_denied", "rifiutato", "refused"),
    ("audit.read_job_seeker", "scheda della persona", "person's record"),
    ("audit.read_personal_data", "dati personali", "personal data"),
    ("audit.read_competences", "competenze", "competences"),
    ("audit.read_placements", "proposte e inserimenti", "proposals and placements"),
    ("audit.vacancies_for_person", "offerte compatibili", "matching vacancies"),
    ("audit.explain_match", "spiegazione del punteggio", "score explanation"),
    ("audit.record_placement", "proposta o inserimento", "proposal or placement"),
    ("audit.propose_courses", "corsi per colmare le lacune", "courses closing the gaps"),
    ("audit.course_doors", "corsi che aprono più porte", "courses opening most doors"),
    ("audit.candidates_for_vacancy", "tra i candidati di un'offerta", "among a vacancy's candidates"),
    ("audit.record_competence_feedback", "competenze suggerite accettate o scartate", "suggested competences accepted or rejected"),
    ("audit.read_call_list_entry", "lista chiamate", "call list"),
    ("audit.record_call_attempt", "esito di una chiamata", "call outcome"),
    ("audit.record_taken_in_charge", "presa in carico", "taken in charge"),
    ("audit.undo_refusal", "annullamento di un rifiuto", "refusal undone"),
    ("audit.office_refused", "rifiutato: altro ufficio", "refused: another office"),
    ("audit.read_person_audit", "registro degli accessi", "access log"),
    ("errors.invalid_account_name", "Nome utente non valido: da 2 a 64 lettere minuscole, cifre, punti o trattini.", "Invalid user name: 2 to 64 lower-case letters, digits, dots or hyphens."),
    ("errors.account_exists", "Esiste già un account con questo nome.", "An account with this name already exists."),
    ("errors.weak_password", "La password deve avere da 10 a 200 caratteri e non contenere il nome utente.", "The password must be 10 to 200 characters and not contain the user name."),
    ("errors.invalid_label", "Scrivi nome e ufficio (al massimo 200 caratteri).", "Write a name and office (at most 200 characters)."),
    ("errors.office_required", "Questo ruolo lavora per un ufficio: indica la sigla della provincia (es. LU).", "This role works for one office: give the province code (e.g. LU)."),
    ("errors.invalid_office", "Ufficio non valido: la sigla della provincia, fino a 8 lettere o cifre (es. LU).", "Invalid office: the province code, up to 8 letters or digits (e.g. LU)."),
    ("errors.account_not_found", "Nessun account con questo nome.", "No account has this name."),
    // The operator's day, confirmations and undo (issue 15, points 7 and 11).
    ("calls.refused_done", "Ha rifiutato", "Refused"),
    ("calls.state_to_call", "da chiamare", "to call"),
    ("calls.state_call_back", "da richiamare", "call back"),
    ("calls.at", "alle", "at"),
    ("calls.state_answered", "ha risposto", "answered"),
    ("calls.state_refused", "ha rifiutato: non contattare", "refused: do not contact"),
    ("calls.state_wrong_number", "numero errato", "wrong number"),
    ("calls.state_max_attempts", "tentativi esauriti", "attempts used up"),
    ("calls.state_do_not_contact", "non contattare", "do not contact"),
    ("calls.called_today", "chiamata oggi", "called today"),
    ("calls.manage", "Gestione della campagna", "Manage the campaign"),
    ("calls.progress", "Avanzamento della giornata", "The day's progress"),
    ("calls.progress_called", "Chiamate fatte oggi:", "Called today:"),
    ("calls.progress_due", "ancora da fare:", "still to call:"),
    ("calls.history", "Tutti i tentativi", "Every attempt"),
    ("calls.next_call_time", "Ora della richiamata (facoltativa)", "Call-back time (optional)"),
    ("calls.refused_help", "«Rifiuta» chiede conferma: la persona non verrà più contattata (l'amministratore può annullarlo).", "\"Refused\" asks for confirmation: the person will not be contacted again (an administrator can undo it)."),
    ("calls.taken_why", "Possibile solo dopo una chiamata con risposta.", "Possible only after an answered call."),
    ("calls.day_list", "La lista della giornata", "The day's list"),
    ("calls.state", "Stato", "State"),
    ("calls.attempts_column", "Tentativi", "Attempts"),
    ("calls.operator", "Operatore", "Operator"),
    ("calls.confirm_refusal_title", "Confermi il rifiuto?", "Confirm the refusal?"),
    ("calls.confirm_refusal_text", "La persona verrà segnata come da non contattare e non comparirà più in nessuna lista. Solo un amministratore può annullarlo, indicando il motivo.", "The person will be marked do-not-contact and will not appear on any list again. Only an administrator can undo it, giving a reason."),
    ("calls.confirm_refusal", "Sì, non vuole essere contattata", "Yes, they do not want to be contacted"),
    ("calls.confirm_back", "No, torna alla chiamata", "No, back to the call"),
    ("calls.reassign_to", "Assegna a", "Assign to"),
    ("calls.reassign", "Riassegna", "Reassign"),
    ("calls.undo_reason", "Motivo dell'annullamento", "Why it is undone"),
    ("calls.undo_refusal", "Annulla il rifiuto", "Undo the refusal"),
    ("calls.reassigned", "Chiamata riassegnata.", "Entry reassigned."),
    ("calls.refusal_undone", "Rifiuto annullato: la persona torna in lista.", "Refusal undone: the person is back on the list."),
    ("vacancy.validate_why", "Aggiungi almeno una competenza per poter validare.", "Add at least one competence to validate."),
    ("vacancy.removed", "Competenza rimossa:", "Competence removed:"),
    ("vacancy.undo_remove", "Annulla la rimozione", "Undo the removal"),
    ("vacancy.back_to_draft", "Questa offerta è validata: ogni modifica delle competenze la riporta in bozza, e andrà validata di nuovo.", "This vacancy is validated: any change to its competences sends it back to draft, to be validated again."),
    ("vacancy.confirm_remove_title", "Rimuovere la competenza?", "Remove the competence?"),
    ("vacancy.confirm_remove_text", "Stai per rimuovere dalle competenze richieste", "You are about to remove from the required competences"),
    ("vacancy.confirm_remove", "Sì, rimuovi", "Yes, remove it"),
    ("vacancy.confirm_back", "No, torna all'offerta", "No, back to the vacancy"),
    ("desk.sections", "Parti della pagina", "Parts of the page"),
    ("appointments.weeks", "Ripeti per (settimane)", "Repeat for (weeks)"),
    ("appointments.weeks_help", "Gli stessi orari, lo stesso giorno della settimana, per 1–26 settimane (1 = solo questo giorno).", "The same times on the same weekday for 1–26 weeks (1 = this day only)."),
    ("appointments.no_show", "Non si è presentato", "Did not come"),
    ("appointments.no_show_tag", "assente", "no-show"),
    ("appointments.cancel_booking", "Annulla la prenotazione", "Cancel the booking"),
    ("appointments.move_to", "Sposta a", "Move to"),
    ("appointments.move", "Sposta", "Move"),
    ("booking.ics", "Aggiungi al calendario (file .ics)", "Add to your calendar (.ics file)"),
    ("errors.invalid_weeks", "Le settimane vanno da 1 a 26.", "Weeks go from 1 to 26."),
    ("errors.no_show_too_early", "Si può segnare l'assenza solo dopo l'inizio dell'appuntamento.", "A no-show can be marked only after the appointment started."),
    ("errors.slot_overlaps", "Un orario si sovrappone a un altro già pubblicato (o a uno dei nuovi): controlla gli orari e la durata.", "A time overlaps another slot already published (or one of the new ones): check the times and the length."),
    ("errors.api_key_not_found", "Nessuna chiave attiva con questo codice.", "No active key has this id."),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key the console's sources look up exists, once, in both languages.
    #[test]
    fn every_message_used_exists_and_is_translated() {
        let mut seen = std::collections::HashSet::new();
        for (key, italian, english) in MESSAGES.iter().chain(super::super::words::MESSAGES) {
            assert!(seen.insert(*key), "duplicate message {key}");
            assert!(
                !italian.is_empty() && !english.is_empty(),
                "empty message {key}"
            );
        }
        let sources = [
            include_str!("mod.rs"),
            include_str!("layout.rs"),
            include_str!("signin.rs"),
            include_str!("desk.rs"),
            include_str!("validator.rs"),
            include_str!("appointments.rs"),
            include_str!("training.rs"),
            include_str!("reports.rs"),
            include_str!("calls.rs"),
            include_str!("fairness.rs"),
            include_str!("i18n.rs"),
            include_str!("admin.rs"),
            include_str!("resume.rs"),
            // Issue 15 (words, vacancies, CSV).
            include_str!("words.rs"),
            include_str!("vacancies.rs"),
            include_str!("doors.rs"),
            include_str!("person_edits.rs"),
            include_str!("from_text.rs"),
        ];
        let mut used = 0;
        for source in sources {
            for part in source.split('"').skip(1).step_by(2) {
                let looks_like_key = !part.ends_with(".rs")
                    && part.split_once('.').is_some_and(|(area, rest)| {
                        [
                            "layout",
                            "nav",
                            "role",
                            "error",
                            "errors",
                            "home",
                            "signin",
                            "desk",
                            "evidence",
                            "explain",
                            "companies",
                            "vacancy",
                            "level",
                            "appointments",
                            "booking",
                            "fairness",
                            "ranking",
                            "reports",
                            "admin",
                            "resume",
                            "audit",
                            "calls",
                            "words",
                            "vacancies",
                        ]
                        .contains(&area)
                            && !rest.is_empty()
                            && rest
                                .bytes()
                                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
                    });
                if looks_like_key {
                    used += 1;
                    assert!(seen.contains(part), "message {part} is used but missing");
                }
            }
        }
        assert!(used > 100, "only {used} keys found: the scan is broken");
    }

    #[test]
    fn languages_parse_and_switch() {
        assert_eq!(Lang::parse("en"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::default(), Lang::It);
        assert_eq!(Lang::It.other(), Lang::En);
        assert_eq!(Lang::En.t("signin.title"), "Sign in");
        assert_eq!(Lang::It.t("signin.title"), "Accedi");
        assert_eq!(
            Lang::En.error_message(ErrorCode::SlotAlreadyBooked, "x"),
            "This slot has just been booked by someone else: please choose another."
        );
        assert_eq!(
            Lang::It.error_message(ErrorCode::InvalidQuery, "the engine says"),
            "the engine says"
        );
    }
}
