//! THE registry of error codes: every code the engine, the HTTP API, the console and the command
//! line return, with its [`ErrorKind`] (which decides the HTTP status, in one table in the server)
//! and what it means.
//!
//! Codes are stable: clients match on them, so a code string never changes once published. A new
//! failure gets a new variant here, and `docs/http.md`'s error table is regenerated from this list
//! (a test in the server crate fails until it is).

use std::fmt;

use super::ErrorKind;

macro_rules! error_codes {
    ($(
        $kind:ident {
            $( $(#[doc = $doc:literal])+ $variant:ident = $code:literal, )+
        }
    )+) => {
        /// A stable machine-readable error code: the string clients read and the kind that decides
        /// the HTTP status.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $( $( $(#[doc = $doc])+ $variant, )+ )+
        }

        impl ErrorCode {
            /// Every code, grouped by kind.
            pub const ALL: &'static [ErrorCode] = &[ $( $( ErrorCode::$variant, )+ )+ ];

            /// The snake_case string sent to clients, e.g. `vacancy_not_found`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( $( ErrorCode::$variant => $code, )+ )+
                }
            }

            /// The kind of failure, which decides the HTTP status.
            pub const fn kind(self) -> ErrorKind {
                match self {
                    $( $( ErrorCode::$variant => ErrorKind::$kind, )+ )+
                }
            }

            /// What the code means, one line (the variant's documentation).
            pub fn description(self) -> &'static str {
                match self {
                    $( $( ErrorCode::$variant => concat!($($doc),+).trim_ascii(), )+ )+
                }
            }
        }
    };
}

error_codes! {
    Invalid {
        /// The request body is not valid JSON.
        MalformedJson = "malformed_json",
        /// The request body could not be read.
        MalformedBody = "malformed_body",
        /// The JSON body has a wrong type, an unknown field or a missing field.
        InvalidBody = "invalid_body",
        /// The query string does not parse.
        InvalidQuery = "invalid_query",
        /// A path segment does not parse.
        InvalidPath = "invalid_path",
        /// A console form does not parse.
        InvalidForm = "invalid_form",
        /// An import found problems (each with file:line: field); nothing was written.
        InvalidInput = "invalid_input",
        /// An id is not 1-64 characters of A-Z a-z 0-9 _ - .
        InvalidId = "invalid_id",
        /// A create without an id.
        MissingId = "missing_id",
        /// The id in the body differs from the one in the path.
        IdMismatch = "id_mismatch",
        /// A text field is empty or too long.
        InvalidField = "invalid_field",
        /// A required field is missing.
        MissingField = "missing_field",
        /// A field is longer than allowed.
        FieldTooLong = "field_too_long",
        /// A field contains control characters.
        InvalidText = "invalid_text",
        /// `k` (how many results) is out of range.
        InvalidK = "invalid_k",
        /// `offset` is out of range.
        InvalidOffset = "invalid_offset",
        /// `limit` is out of range.
        InvalidLimit = "invalid_limit",
        /// `top` is less than 1.
        InvalidTop = "invalid_top",
        /// `top` of the skill suggestions is out of range.
        InvalidTopK = "invalid_top_k",
        /// A distance is not in (0, 1000] km.
        InvalidDistance = "invalid_distance",
        /// `min_score` is not in [0, 1].
        InvalidMinScore = "invalid_min_score",
        /// A score is not between 0 and 1.
        InvalidScore = "invalid_score",
        /// `lang` is not a 2-3 letter language code.
        InvalidLanguage = "invalid_language",
        /// A language other than it or en where only those two exist (funnel, reports).
        InvalidLang = "invalid_lang",
        /// A label language that is neither it, en nor imported.
        UnknownLanguage = "unknown_language",
        /// No ESCO labels of this language are imported.
        LanguageNotImported = "language_not_imported",
        /// A codice fiscale with a wrong length, character or check letter.
        InvalidCodiceFiscale = "invalid_codice_fiscale",
        /// A partita IVA without 11 digits or with a wrong check digit.
        InvalidPartitaIva = "invalid_partita_iva",
        /// A comune that is not a codice catastale like E715.
        InvalidComune = "invalid_comune",
        /// A distance filter whose centre has no coordinates (comuni not imported), or a comune
        /// name that no comune has.
        UnknownComune = "unknown_comune",
        /// A comune name shared by comuni of several provinces: the province is needed.
        AmbiguousComune = "ambiguous_comune",
        /// An unknown code list (provincia, ateco, cp2011).
        InvalidCodeList = "invalid_code_list",
        /// A person's weekly hours outside 1-80, or the fewest above the most.
        InvalidWeeklyHours = "invalid_weekly_hours",
        /// A contract type the COB code tables do not know.
        UnknownContractType = "unknown_contract_type",
        /// A region without tirocinio rules.
        UnknownRegion = "unknown_region",
        /// A skill URI that is not an ESCO skill URI.
        InvalidSkillUri = "invalid_skill_uri",
        /// An occupation URI that is not an ESCO occupation URI.
        InvalidOccupationUri = "invalid_occupation_uri",
        /// A skill that the imported taxonomy does not know.
        UnknownSkill = "unknown_skill",
        /// A level outside 1-4.
        InvalidLevel = "invalid_level",
        /// An accepted skill suggestion without a level.
        MissingLevel = "missing_level",
        /// A requirement weight outside (0, 10].
        InvalidWeight = "invalid_weight",
        /// The same skill twice in one vacancy or profile.
        DuplicateSkill = "duplicate_skill",
        /// A worker holding the same skill twice (scoring input).
        DuplicateCompetence = "duplicate_competence",
        /// A vacancy requiring the same skill twice (scoring input).
        DuplicateRequirement = "duplicate_requirement",
        /// A vacancy without requirements (scoring input).
        EmptyRequirements = "empty_requirements",
        /// More than 200 requirements on one vacancy.
        TooManyRequirements = "too_many_requirements",
        /// A vacancy with an empty title or another field the importer refuses.
        InvalidVacancy = "invalid_vacancy",
        /// A contract without a COB contract type like A.02.00.
        InvalidContractType = "invalid_contract_type",
        /// A tirocinio lasting other than 1 to 24 months.
        InvalidTirocinio = "invalid_tirocinio",
        /// A tirocinio outside its region's duration or indemnity rule (issue 15, point 10).
        TirocinioOutsideRules = "tirocinio_outside_rules",
        /// Positions that are not a positive number.
        InvalidPositions = "invalid_positions",
        /// A vacancy or course that ends before it starts.
        InvalidDates = "invalid_dates",
        /// An agency vacancy without the agency's name.
        InvalidSource = "invalid_source",
        /// A validated vacancy without the validator's name.
        InvalidStatus = "invalid_status",
        /// Course hours that are not a positive number.
        InvalidHours = "invalid_hours",
        /// A validator name that is not 1-200 characters.
        InvalidValidator = "invalid_validator",
        /// A date that is not YYYY-MM-DD.
        InvalidDate = "invalid_date",
        /// A time that is not YYYY-MM-DDTHH:MM.
        InvalidTime = "invalid_time",
        /// A period that ends before it starts.
        InvalidPeriod = "invalid_period",
        /// A value that is not true or false.
        InvalidBoolean = "invalid_boolean",
        /// A sex other than M or F.
        InvalidSex = "invalid_sex",
        /// A citizenship other than IT, EU or non_EU.
        InvalidCitizenship = "invalid_citizenship",
        /// An unknown education level.
        InvalidEducation = "invalid_education",
        /// An unknown kind of evidence for a competence.
        InvalidEvidence = "invalid_evidence",
        /// An unknown work modality.
        InvalidModality = "invalid_modality",
        /// An unknown GOL path.
        InvalidGolPath = "invalid_gol_path",
        /// A training query without a comune.
        InvalidArea = "invalid_area",
        /// A type-ahead query shorter than 2 characters.
        QueryTooShort = "query_too_short",
        /// A type-ahead query with no word.
        EmptyQuery = "empty_query",
        /// A type-ahead query of more than 12 words.
        QueryTooLong = "query_too_long",
        /// A text to suggest skills from has no words.
        EmptyText = "empty_text",
        /// A text to suggest skills from looks binary.
        BinaryText = "binary_text",
        /// A text that is not valid UTF-8.
        InvalidUtf8 = "invalid_utf8",
        /// An unknown match kind in a suggestion decision.
        InvalidMatchKind = "invalid_match_kind",
        /// Suggestion decisions that are empty, too many or repeated.
        InvalidDecisions = "invalid_decisions",
        /// Who decided on suggestions is not 1-200 characters.
        InvalidDecidedBy = "invalid_decided_by",
        /// A proposal kind other than proposal or placement.
        InvalidPlacementKind = "invalid_placement_kind",
        /// A placement type other than contract or tirocinio.
        InvalidPlacementType = "invalid_placement_type",
        /// A placement without who records it.
        InvalidRecordedBy = "invalid_recorded_by",
        /// A note longer than allowed.
        NoteTooLong = "note_too_long",
        /// A call result other than answered, no_answer, busy, wrong_number or refused.
        InvalidCallResult = "invalid_call_result",
        /// A call day in the future, before the rule's `as_of` or before the entry's latest attempt.
        InvalidAttemptDate = "invalid_attempt_date",
        /// A next-call day on a result that takes none, or not after the call.
        InvalidNextCall = "invalid_next_call",
        /// A milestone other than taken_in_charge, enrolled or placed.
        InvalidMilestone = "invalid_milestone",
        /// A milestone day in the future or before the answered call.
        InvalidMilestoneDate = "invalid_milestone_date",
        /// An undo of a refusal without who undoes it.
        InvalidUndo = "invalid_undo",
        /// A call list asked for without an operator.
        MissingOperator = "missing_operator",
        /// An operator id that is not 1-64 letters, digits, '-' or '_', or a zero capacity.
        InvalidOperator = "invalid_operator",
        /// A campaign with out-of-range settings.
        InvalidCampaign = "invalid_campaign",
        /// A campaign id that is not 1-64 letters, digits, '-' or '_'.
        InvalidCampaignId = "invalid_campaign_id",
        /// A cohort rule that contradicts itself.
        InvalidCohortRule = "invalid_cohort_rule",
        /// A cohort rule file that does not parse.
        InvalidRule = "invalid_rule",
        /// An unknown funnel dimension.
        InvalidDimension = "invalid_dimension",
        /// An unknown COB code scheme.
        InvalidCodeScheme = "invalid_code_scheme",
        /// A phone number that is not an Italian mobile number.
        InvalidMobile = "invalid_mobile",
        /// A booking contact that is neither an e-mail address nor a phone number.
        InvalidContact = "invalid_contact",
        /// A booking without the privacy notice accepted.
        PrivacyNotAccepted = "privacy_not_accepted",
        /// A slot length outside 5-240 minutes.
        InvalidMinutes = "invalid_minutes",
        /// Too few or too many slots published at once.
        InvalidSlotCount = "invalid_slot_count",
        /// A slot that does not start in the future.
        SlotInPast = "slot_in_past",
        /// A video room address that is not http(s).
        InvalidRoomUrl = "invalid_room_url",
        /// An unknown role.
        InvalidRole = "invalid_role",
        /// An office that is not a province code.
        InvalidOffice = "invalid_office",
        /// An office name that is not 3-120 characters (issue 15).
        InvalidOfficeName = "invalid_office_name",
        /// An office address that is not 5-200 characters (issue 15).
        InvalidOfficeAddress = "invalid_office_address",
        /// An api key label that is not 1-200 printable characters.
        InvalidLabel = "invalid_label",
        /// A staff account name that is not 2-64 of a-z 0-9 . - _ (issue 15).
        InvalidAccountName = "invalid_account_name",
        /// A password shorter than 10 or longer than 200 characters, or holding the account name.
        WeakPassword = "weak_password",
        /// A desk, validator or operator account without an office.
        OfficeRequired = "office_required",
        /// A slot that overlaps another slot of the same staff member.
        SlotOverlaps = "slot_overlaps",
        /// Weekly availability repeated for fewer than 1 or more than 26 weeks.
        InvalidWeeks = "invalid_weeks",
        /// A booking marked as a no-show before its slot started (or once cancelled).
        NoShowTooEarly = "no_show_too_early",
        /// A booking moved to a slot of another office.
        SlotOfOtherOffice = "slot_of_other_office",
        /// A related-skill discount outside [0, 1].
        InvalidRelatedDiscount = "invalid_related_discount",
        /// A skill graph edge outside the skills.
        InvalidSkillGraph = "invalid_skill_graph",
        /// The tirocinio rules file does not parse.
        InvalidTirocinioRules = "invalid_tirocinio_rules",
        /// A suggestion development set that does not parse.
        InvalidDevSet = "invalid_dev_set",
        /// A suggestion fixture line that is not text, TAB, skill URIs.
        InvalidFixture = "invalid_fixture",
        /// The taxonomy has no texts to evaluate suggestions against.
        NothingToEvaluate = "nothing_to_evaluate",
        /// The taxonomy is too small for the evaluation (import the ESCO release).
        TaxonomyTooSmall = "taxonomy_too_small",
        /// No COB code tables are imported.
        NoCodeTables = "no_code_tables",
        /// A folder with none of the record files.
        NothingToImport = "nothing_to_import",
        /// A folder that does not exist.
        NoSuchFolder = "no_such_folder",
        /// A file where a folder was expected.
        NotAFolder = "not_a_folder",
        /// A folder where a file was expected.
        NotAFile = "not_a_file",
        /// A record archive that is not a readable zip, or holds one file name twice.
        BadRecordZip = "bad_record_zip",
        /// A file that cannot be read.
        UnreadableFile = "unreadable_file",
        /// An unknown text encoding (utf-8 or windows-1252).
        InvalidEncoding = "invalid_encoding",
        /// A CSV file with a bad header or structure.
        MalformedCsv = "malformed_csv",
        /// A CSV could not be written.
        CsvWrite = "csv_write",
        /// An output path that is a directory.
        OutputIsDirectory = "output_is_directory",
        /// No ESCO zip file or folder given.
        EscoNoSource = "esco_no_source",
        /// No ESCO CSV file in the sources given.
        EscoFilesNotFound = "esco_files_not_found",
        /// An ESCO zip file that cannot be read.
        EscoBadZip = "esco_bad_zip",
        /// An ESCO file that cannot be read.
        EscoUnreadable = "esco_unreadable",
        /// An ESCO file without a needed column.
        EscoBadHeader = "esco_bad_header",
        /// ESCO sources of different versions.
        EscoVersionMismatch = "esco_version_mismatch",
        /// A ranking log channel other than api or console.
        InvalidChannel = "invalid_channel",
        /// A logged ranking replayed with the clock on another day than it was served.
        ReplayDay = "replay_day",
        /// A ranking log retention of 0 months, or too long.
        InvalidRetention = "invalid_retention",
    }
    Unauthenticated {
        /// No `Authorization: Bearer` header.
        MissingApiKey = "missing_api_key",
        /// The api key is unknown or revoked.
        InvalidApiKey = "invalid_api_key",
        /// Not signed in to the console (its pages redirect to the sign-in page instead).
        SignIn = "sign_in",
    }
    Forbidden {
        /// The role may not do this.
        ForbiddenRole = "forbidden_role",
        /// The object belongs to another office.
        OtherOffice = "other_office",
        /// An operator asking for another operator's call list.
        NotYourEntries = "not_your_entries",
        /// A console action on an entry of another operator's call list.
        NotYourEntry = "not_your_entry",
        /// An attempt on an entry assigned to another operator.
        EntryNotAssigned = "entry_not_assigned",
        /// A console form that expired or came from another site.
        InvalidCsrfToken = "invalid_csrf_token",
    }
    NotFound {
        /// No such skill.
        SkillNotFound = "skill_not_found",
        /// No such occupation.
        OccupationNotFound = "occupation_not_found",
        /// No such company.
        CompanyNotFound = "company_not_found",
        /// No such (open) vacancy.
        VacancyNotFound = "vacancy_not_found",
        /// No such job seeker.
        JobSeekerNotFound = "job_seeker_not_found",
        /// No such course.
        CourseNotFound = "course_not_found",
        /// No such proposal or placement of this person.
        PlacementNotFound = "placement_not_found",
        /// No such campaign.
        CampaignNotFound = "campaign_not_found",
        /// No such operator in the campaign.
        OperatorNotFound = "operator_not_found",
        /// No such call-list entry.
        EntryNotFound = "entry_not_found",
        /// No such active api key.
        ApiKeyNotFound = "api_key_not_found",
        /// No staff account has this name.
        AccountNotFound = "account_not_found",
        /// No such appointment slot.
        SlotNotFound = "slot_not_found",
        /// No booking with this reference.
        BookingNotFound = "booking_not_found",
        /// An ESCO zip file or folder that does not exist.
        EscoSourceNotFound = "esco_source_not_found",
        /// No such API route.
        RouteNotFound = "route_not_found",
        /// No such console page.
        NotFound = "not_found",
        /// No such ranking log entry (never written, or purged after the retention period).
        RankingLogNotFound = "ranking_log_not_found",
    }
    Conflict {
        /// A company with this id exists.
        CompanyExists = "company_exists",
        /// A vacancy with this id exists.
        VacancyExists = "vacancy_exists",
        /// A campaign with this id exists.
        CampaignExists = "campaign_exists",
        /// The codice fiscale belongs to another job seeker.
        DuplicateCodiceFiscale = "duplicate_codice_fiscale",
        /// The campaign's call lists were purged.
        CampaignPurged = "campaign_purged",
        /// Nothing after a refusal to be contacted.
        EntryRefused = "entry_refused",
        /// No refusal to undo.
        EntryNotRefused = "entry_not_refused",
        /// The entry already has the campaign's maximum of attempts.
        MaxAttemptsReached = "max_attempts_reached",
        /// No milestone before an answered call.
        EntryNeverAnswered = "entry_never_answered",
        /// No "taken in charge" to undo (issue 15, point 7).
        EntryNotTakenInCharge = "entry_not_taken_in_charge",
        /// This proposal is already recorded.
        ProposalExists = "proposal_exists",
        /// The vacancy is not open.
        VacancyNotOpen = "vacancy_not_open",
        /// The vacancy is already validated.
        VacancyAlreadyValidated = "vacancy_already_validated",
        /// A vacancy without competences cannot be validated.
        VacancyWithoutCompetences = "vacancy_without_competences",
        /// A closed vacancy cannot change.
        VacancyClosed = "vacancy_closed",
        /// A slot at this time exists.
        SlotExists = "slot_exists",
        /// The slot is already booked.
        SlotAlreadyBooked = "slot_already_booked",
        /// A staff account with this name already exists.
        AccountExists = "account_exists",
        /// The slot is no longer available.
        SlotNotBookable = "slot_not_bookable",
        /// The booking was already cancelled.
        BookingAlreadyCancelled = "booking_already_cancelled",
    }
    MethodNotAllowed {
        /// The route exists but not with this method (the answer carries `Allow`).
        MethodNotAllowed = "method_not_allowed",
    }
    BodyTimeout {
        /// The request body did not arrive within `body_timeout_ms`.
        BodyTimeout = "body_timeout",
    }
    TooLarge {
        /// The request body is larger than allowed.
        PayloadTooLarge = "payload_too_large",
    }
    UnsupportedMediaType {
        /// The body is not sent as `application/json`.
        UnsupportedMediaType = "unsupported_media_type",
    }
    Internal {
        /// Something failed inside (generic message; the cause is logged).
        Internal = "internal",
    }
    TooManyRequests {
        /// Too many attempts from one address on the public booking pages.
        TooManyRequests = "too_many_requests",
    }
    Unavailable {
        /// The engine call did not finish within `request_timeout_ms`, queueing included.
        RequestTimeout = "request_timeout",
    }
}

impl ErrorCode {
    /// The code spelled `text`, if there is one.
    pub fn parse(text: &str) -> Option<ErrorCode> {
        ErrorCode::ALL
            .iter()
            .copied()
            .find(|code| code.as_str() == text)
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl PartialEq<str> for ErrorCode {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_snake_case_and_described() {
        let mut seen = HashSet::new();
        for code in ErrorCode::ALL {
            let text = code.as_str();
            assert!(seen.insert(text), "{text} twice");
            assert!(
                text.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
                    && text.starts_with(|c: char| c.is_ascii_lowercase()),
                "{text} is not snake_case"
            );
            assert!(!code.description().is_empty(), "{text} has no description");
            assert_eq!(ErrorCode::parse(text), Some(*code));
        }
        assert_eq!(ErrorCode::parse("no_such_code"), None);
    }

    #[test]
    fn kinds_come_from_the_registry() {
        assert_eq!(ErrorCode::VacancyNotFound.kind(), ErrorKind::NotFound);
        assert_eq!(ErrorCode::InvalidCodiceFiscale.kind(), ErrorKind::Invalid);
        assert_eq!(ErrorCode::OtherOffice.kind(), ErrorKind::Forbidden);
        assert_eq!(ErrorCode::VacancyExists.kind(), ErrorKind::Conflict);
        assert_eq!(ErrorCode::VacancyNotFound, "vacancy_not_found");
        assert_eq!(ErrorCode::InvalidSkillUri.to_string(), "invalid_skill_uri");
    }
}
