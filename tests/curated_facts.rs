//! Facts of the curated dataset, checked against what the loader loads.
//!
//! Each test states facts read from the five source documents (see
//! `data/sources.toml`): entities with their labels, relations with roles
//! and dates, figures with units, dates and citations, and the conflicts
//! between documents that the dataset keeps side by side.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::Path;
use std::sync::OnceLock;

use coopgraph_model::{Dataset, Entity, Figure, Quantity, Relation};

/// The curated dataset, loaded once.
fn data() -> &'static Dataset {
    static DATA: OnceLock<Dataset> = OnceLock::new();
    DATA.get_or_init(|| {
        let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data"));
        match coopgraph_load::load_dir(dir) {
            Ok(ds) => ds,
            Err(errors) => {
                let all: Vec<String> = errors.iter().map(ToString::to_string).collect();
                panic!("the curated data does not load:\n{}", all.join("\n"))
            }
        }
    })
}

fn entity(id: &str) -> &'static Entity {
    data().entity(id).unwrap_or_else(|| panic!("no entity \"{id}\""))
}

/// Relations `subject predicate object`, in file order.
fn relations(subject: &str, predicate: &str, object: &str) -> Vec<&'static Relation> {
    data()
        .relations
        .iter()
        .filter(|r| r.subject.as_str() == subject && r.relation_type.name == predicate && r.object.as_str() == object)
        .collect()
}

/// The one relation `subject predicate object` (fails if there is none or several).
fn relation(subject: &str, predicate: &str, object: &str) -> &'static Relation {
    let found = relations(subject, predicate, object);
    assert_eq!(found.len(), 1, "expected one relation {subject} {predicate} {object}, found {}", found.len());
    found[0]
}

/// Figures of `subject` for `measure`, in file order.
fn figures(subject: &str, measure: &str) -> Vec<&'static Figure> {
    data().figures.iter().filter(|f| f.subject.as_str() == subject && f.measure.as_str() == measure).collect()
}

/// The one figure of `subject` for `measure` citing `citation`.
fn figure(subject: &str, measure: &str, citation: &str) -> &'static Figure {
    let found: Vec<_> = figures(subject, measure).into_iter().filter(|f| cites(&f.sources, citation)).collect();
    assert_eq!(found.len(), 1, "expected one figure {subject}/{measure} citing {citation}, found {}", found.len());
    found[0]
}

fn cites(sources: &[coopgraph_model::Citation], citation: &str) -> bool {
    sources.iter().any(|c| c.to_string() == citation)
}

fn int(f: &Figure) -> i64 {
    match &f.value {
        Quantity::Integer(i) => *i,
        Quantity::Decimal(d) => panic!("figure {}/{} is the decimal {d}, expected an integer", f.subject, f.measure),
    }
}

fn date(d: Option<coopgraph_model::PartialDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

// ---------------------------------------------------------------------------
// Entities and labels
// ---------------------------------------------------------------------------

#[test]
fn china_has_both_labels_and_its_qid() {
    let china = entity("china");
    assert_eq!(china.label_in("en"), Some("China"));
    assert_eq!(china.label_in("zh"), Some("中国"));
    assert_eq!(china.wikidata.as_ref().map(|q| q.as_str()), Some("Q148"));
    assert!(cites(&china.sources, "004#4@en"), "China is named (through the spam token) in 004");
}

#[test]
fn sco_labels_alias_and_qid() {
    let sco = entity("sco");
    assert_eq!(sco.label("zh"), "上海合作组织");
    assert_eq!(sco.label("en"), "Shanghai Cooperation Organisation");
    assert!(sco.aliases.iter().any(|(l, names)| l.as_str() == "zh" && names.iter().any(|n| n == "上合组织")));
    assert!(sco.aliases.iter().any(|(l, names)| l.as_str() == "en" && names.iter().any(|n| n == "SCO")));
    assert_eq!(sco.wikidata.as_ref().map(|q| q.as_str()), Some("Q485207"));
}

#[test]
fn interpol_and_asean_chinese_labels() {
    assert_eq!(entity("interpol").label_in("zh"), Some("国际刑警组织"));
    assert_eq!(entity("asean").label_in("zh"), Some("东南亚国家联盟"));
    assert_eq!(entity("asean").wikidata.as_ref().map(|q| q.as_str()), Some("Q7768"));
}

#[test]
fn mekong_mechanism_is_a_mechanism_with_both_labels() {
    let m = entity("mekong_mechanism");
    assert_eq!(m.category.name, "mechanism");
    assert_eq!(m.label_in("zh"), Some("中老缅泰湄公河流域执法安全合作机制"));
    assert!(m.label_in("en").is_some());
}

#[test]
fn sky_net_is_a_campaign_begun_in_march_2015() {
    let sky = entity("sky_net");
    assert_eq!(sky.category.name, "campaign");
    assert_eq!(sky.label_in("zh"), Some("天网行动"));
    assert_eq!(date(sky.period.start), "2015-03");
}

#[test]
fn fox_hunt_2014_ended_on_the_last_day_of_2014() {
    let fh = entity("fox_hunt_2014");
    assert_eq!(fh.label_in("zh"), Some("猎狐2014"));
    assert_eq!(date(fh.period.end), "2014-12-31");
}

#[test]
fn conventions_bind_and_g20_principles_do_not() {
    assert_eq!(entity("untoc").is_binding(), Some(true));
    assert_eq!(entity("hague_service_convention").label_in("zh"), Some("海牙送达公约"));
    assert_eq!(entity("g20_high_level_principles").is_binding(), Some(false));
    assert_eq!(entity("beijing_anti_corruption_declaration").is_binding(), Some(false));
    assert_eq!(entity("global_security_initiative").category.name, "initiative");
}

#[test]
fn agencies_are_agencies() {
    for id in ["mps", "mps_ncb", "vietnam_police_gd", "spp", "fugitive_office"] {
        assert_eq!(entity(id).category.name, "agency", "{id}");
    }
    assert_eq!(entity("vietnam_police_gd").label_in("zh"), Some("越南公安部警察总局"));
    assert_eq!(entity("mps").label_in("zh"), Some("公安部"));
}

#[test]
fn peacekeeping_contingents_of_2024() {
    let car = entity("china_police_car_1");
    assert_eq!(car.category.name, "peacekeeping");
    assert_eq!(car.label_in("zh"), Some("中国首支赴中非维和警队"));
    assert_eq!(entity("china_police_south_sudan_10").label_in("zh"), Some("中国第十支赴南苏丹维和警队"));
}

#[test]
fn every_entity_and_measure_has_english_and_chinese_labels() {
    for e in data().entities.values() {
        assert!(e.label_in("en").is_some() && e.label_in("zh").is_some(), "entity {} lacks a label", e.id);
    }
    for m in data().measures.values() {
        let langs: Vec<_> = m.labels.keys().map(|l| l.as_str()).collect();
        assert!(langs.contains(&"en") && langs.contains(&"zh"), "measure {} lacks a label", m.id);
    }
}

#[test]
fn spam_token_is_never_a_name() {
    for e in data().entities.values() {
        let names = e.labels.values().chain(e.aliases.values().flatten());
        for n in names {
            assert!(!n.contains("皇冠") && !n.contains("体育app"), "entity {} is named with spam: {n}", e.id);
        }
    }
    let s004 = &data().sources["004"];
    assert!(s004.defects.iter().any(|d| d.contains("皇冠体育app")), "004 must record the spam substitution");
}

#[test]
fn source_language_ranges() {
    let s002 = &data().sources["002"];
    assert_eq!(s002.paragraphs, Some(16));
    assert_eq!(s002.language_paragraphs.iter().find(|(l, _)| l.as_str() == "zh").map(|(_, r)| *r), Some((1, 8)));
    assert_eq!(s002.language_paragraphs.iter().find(|(l, _)| l.as_str() == "en").map(|(_, r)| *r), Some((9, 13)));
    let s003 = &data().sources["003"];
    assert_eq!(date(s003.date), "2016-11-11");
    assert_eq!(data().sources.len(), 5);
}

// ---------------------------------------------------------------------------
// Relations
// ---------------------------------------------------------------------------

#[test]
fn china_acceded_to_hague_conventions_and_untoc() {
    for treaty in ["hague_service_convention", "hague_evidence_convention", "untoc"] {
        let r = relation("china", "party_to", treaty);
        assert_eq!(r.role.as_deref(), Some("accession"), "{treaty}");
        assert!(cites(&r.sources, "000#1@zh") && cites(&r.sources, "000#3@en"), "{treaty} cites both versions");
    }
}

#[test]
fn fox_hunt_2015_is_part_of_sky_net_and_run_by_the_police_ministry() {
    let r = relation("fox_hunt_2015", "part_of", "sky_net");
    assert!(cites(&r.sources, "001#3@en"));
    let org = relation("mps", "participated_in", "fox_hunt_2015");
    assert_eq!(org.role.as_deref(), Some("organizer"));
    assert!(cites(&org.sources, "001#2@en"));
}

#[test]
fn fugitive_office_belongs_to_the_coordination_group_from_2014() {
    let r = relation("fugitive_office", "part_of", "cacg");
    assert_eq!(date(r.period.start), "2014");
    assert!(cites(&r.sources, "001#10@en"));
}

#[test]
fn china_canada_asset_agreement_negotiated_june_2013() {
    // 001#9 reports the negotiation finished, not a signature.
    for party in ["china", "canada"] {
        let r = relation(party, "negotiated", "china_canada_asset_sharing_agreement");
        assert_eq!(date(r.period.date), "2013-06");
        assert!(cites(&r.sources, "001#9@en"), "{party}");
        assert!(relations(party, "signed_with", "china_canada_asset_sharing_agreement").is_empty(), "{party}");
    }
}

#[test]
fn treaty_negotiations_of_2014_link_china_with_the_four_named_countries() {
    // 001#6 names four of the ten countries, not the treaties: each pair is
    // a negotiation, not a plain cooperation record.
    for country in ["france", "spain", "united_kingdom", "italy"] {
        let r = relation("china", "negotiates_with", country);
        assert_eq!(date(r.period.date), "2014", "{country}");
        assert!(r.period.inferred.is_some(), "{country}: the year is read from 'last year'");
        assert!(cites(&r.sources, "001#6@en"), "{country}");
        assert!(relations("china", "cooperates_with", country).is_empty(), "{country}");
    }
}

#[test]
fn g20_endorsed_the_brisbane_action_plan_in_november_2014() {
    let r = relation("g20", "signed_with", "g20_acap_2015_2016");
    assert_eq!(r.role.as_deref(), Some("adopter"));
    assert_eq!(date(r.period.date), "2014-11");
    assert_eq!(relation("g20_brisbane_2014", "hosted_by", "australia").sources[0].to_string(), "001#13@en");
}

#[test]
fn mekong_mechanism_has_four_founding_members_and_china_initiated_it() {
    for c in ["china", "laos", "myanmar", "thailand"] {
        let r = relation(c, "member_of", "mekong_mechanism");
        assert_eq!(r.role.as_deref(), Some("founding_member"), "{c}");
        assert!(cites(&r.sources, "003#5@zh"), "{c}");
    }
    assert!(cites(&relation("mekong_mechanism", "initiated_by", "china").sources, "003#5@zh"));
}

#[test]
fn safe_mekong_participants_conflict_between_000_and_004() {
    let participants = |citation: &str| -> Vec<&str> {
        let mut v: Vec<&str> = data()
            .relations
            .iter()
            .filter(|r| r.relation_type.name == "participated_in" && r.object.as_str() == "safe_mekong_2")
            .filter(|r| cites(&r.sources, citation))
            .map(|r| r.subject.as_str())
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    assert_eq!(participants("000#4@en"), ["cambodia", "china", "laos", "myanmar", "thailand", "vietnam"]);
    assert_eq!(participants("000#2@zh"), ["cambodia", "china", "laos", "myanmar", "thailand", "vietnam"]);
    assert_eq!(participants("004#13@en"), ["china", "laos", "myanmar", "thailand"]);
    let cambodia = relation("cambodia", "participated_in", "safe_mekong_2");
    assert!(cambodia.note.as_deref().unwrap_or("").starts_with("Conflict"));
    let organizer = relations("china", "participated_in", "safe_mekong_2");
    assert!(organizer.iter().any(|r| r.role.as_deref() == Some("organizer") && date(r.period.date) == "2016"));
}

#[test]
fn fifty_first_mekong_patrol_started_25_october_2016() {
    assert_eq!(date(entity("mekong_joint_patrol_51").period.start), "2016-10-25");
    assert!(!relations("mekong_joint_patrol_51", "part_of", "mekong_joint_patrol").is_empty());
    for c in ["china", "laos", "myanmar", "thailand"] {
        assert_eq!(date(relation(c, "participated_in", "mekong_joint_patrol_51").period.start), "2016-10-25");
    }
}

#[test]
fn third_border_drug_operation_with_vietnam() {
    for org in ["mps_ncb", "vietnam_police_gd"] {
        let r = relation(org, "participated_in", "china_vietnam_border_drug_op_3");
        assert_eq!(r.role.as_deref(), Some("organizer"));
        assert_eq!(date(r.period.start), "2016-09-10");
        assert_eq!(date(r.period.end), "2016-12-09");
    }
}

#[test]
fn june_2016_dialogues_with_the_us_and_uk() {
    assert_eq!(date(entity("china_us_cybercrime_dialogue_2").period.date), "2016-06-14");
    assert_eq!(
        date(relation("united_kingdom", "participated_in", "china_uk_security_dialogue_2016").period.date),
        "2016-06-13"
    );
    assert_eq!(relation("united_states", "member_of", "china_us_cybercrime_dialogue").role.as_deref(), Some("member"));
}

#[test]
fn telecom_fraud_work_groups_went_to_five_named_countries() {
    for c in ["kenya", "malaysia", "cambodia", "laos", "indonesia"] {
        assert!(cites(&relation("telecom_fraud_campaign", "deployed_to", c).sources, "003#5@zh"), "{c}");
    }
    assert_eq!(date(relation("mps", "participated_in", "telecom_fraud_campaign").period.start), "2015-11");
}

#[test]
fn peacekeeping_police_deployments() {
    assert!(!relations("china_police_south_sudan_10", "deployed_to", "south_sudan").is_empty());
    assert!(!relations("china_police_cyprus", "deployed_to", "cyprus").is_empty());
    assert!(!relations("china_police_car_1", "deployed_to", "central_african_republic").is_empty());
    assert_eq!(relation("china", "participated_in", "un_peacekeeping").role.as_deref(), Some("contributor"));
}

#[test]
fn eight_countries_sent_liaison_officers_to_guizhou() {
    let countries: Vec<&str> = data()
        .relations
        .iter()
        .filter(|r| r.relation_type.name == "participated_in" && r.object.as_str() == "liaison_officer_guizhou_visit")
        .filter(|r| data().entity(r.subject.as_str()).is_some_and(|e| e.kind.name() == "country"))
        .inspect(|r| assert!(cites(&r.sources, "002#5@zh") && cites(&r.sources, "002#11@en")))
        .map(|r| r.subject.as_str())
        .collect();
    assert_eq!(countries.len(), 8);
    assert_eq!(relation("mps", "participated_in", "liaison_officer_guizhou_visit").role.as_deref(), Some("host"));
    assert_eq!(int(figure("liaison_officer_guizhou_visit", "participating_countries", "002#11@en")), 8);
}

#[test]
fn disaster_relief_roles_in_004() {
    assert_eq!(relation("malaysia", "participated_in", "arf_direx_4").role.as_deref(), Some("co_host"));
    assert_eq!(relation("china", "participated_in", "arf_direx_4").role.as_deref(), Some("co_host"));
    assert_eq!(relation("china", "participated_in", "sco_emergency_heads_meeting_8").role.as_deref(), Some("host"));
    assert_eq!(date(relation("nepal_earthquake_relief_2015", "deployed_to", "nepal").period.date), "2015-04");
    assert_eq!(date(entity("flood_relief_myanmar_2015").period.date), "2015-07");
}

#[test]
fn four_country_counter_terrorism_mechanism() {
    for c in ["afghanistan", "china", "pakistan", "tajikistan"] {
        assert_eq!(relation(c, "member_of", "qccm").role.as_deref(), Some("founding_member"), "{c}");
    }
    assert_eq!(int(figure("qccm", "member_countries", "004#10@en")), 4);
}

#[test]
fn cyber_relations_of_004() {
    assert_eq!(relation("russia", "signed_with", "china_russia_infosec_agreement").role.as_deref(), Some("signatory"));
    // 004#17: China and the other SCO member states tabled the code; the
    // organization itself is not said to have done so.
    assert!(!relations("infosec_code_of_conduct", "initiated_by", "china").is_empty());
    assert!(relations("infosec_code_of_conduct", "initiated_by", "sco").is_empty());
    assert!(!relations("china", "consults_with", "eu").is_empty());
    assert!(!relations("aalco_cyberspace_wg", "initiated_by", "china").is_empty());
}

#[test]
fn vietnam_requested_the_2016_search() {
    let r = relation("vietnam_aircraft_sar_2016", "initiated_by", "vietnam");
    assert_eq!(date(r.period.date), "2016-06");
    assert!(cites(&r.sources, "004#22@en"));
}

#[test]
fn brics_members_from_000() {
    for c in ["brazil", "russia", "india", "china", "south_africa"] {
        assert!(cites(&relation(c, "member_of", "brics").sources, "000#4@en"), "{c}");
    }
}

#[test]
fn implied_relations_say_why() {
    for r in data().relations.iter().filter(|r| r.implied) {
        assert!(r.note.is_some(), "implied relation {} {} {} has no note", r.subject, r.relation_type.name, r.object);
    }
    assert!(relation("china", "member_of", "interpol").implied);
    assert!(!relation("china", "member_of", "sco").implied);
}

// ---------------------------------------------------------------------------
// Figures
// ---------------------------------------------------------------------------

#[test]
fn treaties_as_of_november_2014() {
    let cases = [
        ("extradition_treaties_concluded", 39),
        ("extradition_treaties_in_force", 29),
        ("criminal_mla_treaties_concluded", 52),
        ("criminal_mla_treaties_in_force", 46),
    ];
    for (measure, value) in cases {
        let f = figure("china", measure, "001#7@en");
        assert_eq!(int(f), value, "{measure}");
        assert_eq!(f.unit, "treaties");
        assert_eq!(date(f.period.as_of), "2014-11");
    }
}

#[test]
fn judicial_assistance_partners_by_2016() {
    let cases = [
        ("civil_criminal_mla_countries", 19),
        ("civil_criminal_mla_countries_in_force", 19),
        ("criminal_mla_countries", 40),
        ("criminal_mla_countries_in_force", 32),
        ("civil_mla_countries", 20),
        ("civil_mla_countries_in_force", 17),
    ];
    for (measure, value) in cases {
        let f = figure("china", measure, "000#1@zh");
        assert_eq!(int(f), value, "{measure}");
        assert!(cites(&f.sources, "000#3@en"), "{measure} cites the English version too");
        assert_eq!(date(f.period.as_of), "2016");
    }
    let req = figure("china", "judicial_assistance_requests_handled", "000#3@en");
    assert_eq!((int(req), date(req.period.start), date(req.period.end)), (3300, "2013".into(), "2016".into()));
}

#[test]
fn all_treaties_with_seventy_countries_in_004() {
    assert_eq!(int(figure("china", "mla_extradition_treaties_concluded", "004#12@en")), 123);
    assert_eq!(int(figure("china", "mla_extradition_treaty_countries", "004#12@en")), 70);
}

#[test]
fn sky_net_period_fugitives_and_assets() {
    let f = figure("china", "fugitives_returned", "000#1@zh");
    assert_eq!(int(f), 3453);
    assert_eq!(f.unit, "people");
    assert_eq!((date(f.period.start), date(f.period.end)), ("2014".into(), "2017-10".into()));
    assert_eq!(int(figure("china", "red_notice_fugitives_returned", "000#3@en")), 48);
    assert_eq!(int(figure("china", "fugitive_source_countries", "000#3@en")), 90);
}

#[test]
fn assets_recovered_differ_between_language_versions_of_000() {
    let zh = figure("china", "assets_recovered", "000#1@zh");
    let en = figure("china", "assets_recovered", "000#3@en");
    assert_eq!((int(zh), zh.unit.as_str()), (9_510_000_000, "CNY"));
    assert_eq!((int(en), en.unit.as_str()), (9_500_000_000, "CNY"));
    assert!(!cites(&zh.sources, "000#3@en") && !cites(&en.sources, "000#1@zh"));
    assert!(zh.note.as_deref().unwrap_or("").starts_with("Conflict"));
}

#[test]
fn procuratorate_figures_for_2013_and_2014() {
    let people = figure("china", "fugitives_returned", "001#15@en");
    assert_eq!((int(people), date(people.period.date)), (762, "2013".into()));
    let yuan: Vec<_> =
        figures("china", "assets_recovered").into_iter().filter(|f| cites(&f.sources, "001#15@en")).collect();
    assert!(yuan.iter().any(|f| f.unit == "CNY" && int(f) == 10_140_000_000));
    assert!(yuan.iter().any(|f| f.unit == "USD" && int(f) == 1_630_000_000));
    let captured = figure("china", "fugitives_returned", "001#16@en");
    assert_eq!((int(captured), date(captured.period.date)), (749, "2014".into()));
}

#[test]
fn fox_hunt_2014_results() {
    assert_eq!(int(figure("fox_hunt_2014", "fugitives_returned", "001#17@en")), 680);
    assert_eq!(int(figure("fox_hunt_2014", "fugitives_surrendered", "001#18@en")), 390);
    assert_eq!(int(figure("fox_hunt_2014", "fugitives_in_major_cases", "001#18@en")), 208);
    assert_eq!(int(figure("fox_hunt_2014", "fugitives_at_large_over_ten_years", "001#18@en")), 117);
    let longest = figure("fox_hunt_2014", "longest_time_at_large", "001#18@en");
    assert_eq!((int(longest), longest.unit.as_str()), (22, "years"));
    assert_eq!(int(figure("fox_hunt_2014", "fugitive_source_countries", "001#19@en")), 69);
}

#[test]
fn safe_mekong_2016_results_from_000() {
    assert_eq!(int(figure("safe_mekong_2", "cases_solved", "000#4@en")), 6476);
    assert_eq!(int(figure("safe_mekong_2", "suspects_arrested", "000#2@zh")), 9927);
    let drugs = figure("safe_mekong_2", "narcotics_seized", "000#2@zh");
    assert_eq!((&drugs.value, drugs.unit.as_str()), (&Quantity::Decimal("12.7".into()), "t"));
    let chem = figure("safe_mekong_2", "precursor_chemicals_seized", "000#4@en");
    assert_eq!(chem.value, Quantity::Decimal("55.2".into()));
    assert_eq!(int(figure("safe_mekong_2", "participating_countries", "000#2@zh")), 6);
}

#[test]
fn safe_mekong_results_conflict_between_000_and_004() {
    let suspects = figures("safe_mekong_2", "suspects_arrested");
    let cases = figures("safe_mekong_2", "cases_solved");
    assert_eq!(suspects.len(), 2, "both suspect counts are kept");
    assert_eq!(cases.len(), 2, "both case counts are kept");
    assert_eq!(int(figure("safe_mekong_2", "suspects_arrested", "004#13@en")), 10000);
    assert_eq!(int(figure("safe_mekong_2", "cases_solved", "004#13@en")), 9000);
    for f in suspects.iter().chain(&cases) {
        assert!(
            f.note.as_deref().unwrap_or("").starts_with("Conflict"),
            "{}/{} names its conflict",
            f.subject,
            f.measure
        );
    }
}

#[test]
fn police_cooperation_network_as_of_november_2016() {
    let cases = [
        ("cooperation_partner_countries", 113),
        ("cooperation_mechanisms", 129),
        ("liaison_hotlines", 96),
        ("hotlines_24h", 65),
        ("hotline_partner_countries", 49),
        ("regular_meeting_partner_countries", 50),
        ("cooperation_documents_signed", 400),
        ("organizations_and_mechanisms_joined", 82),
        ("liaison_officer_host_countries", 33),
    ];
    for (measure, value) in cases {
        let f = figure("china", measure, "003#5@zh");
        assert_eq!(int(f), value, "{measure}");
        assert_eq!(date(f.period.as_of), "2016-11", "{measure}");
    }
}

#[test]
fn peacekeeping_police_figures() {
    let total = figure("china", "peacekeeping_police_deployed", "003#5@zh");
    assert_eq!((int(total), total.unit.as_str()), (2455, "person-times"));
    assert!(cites(&total.sources, "003#1@zh"), "the headline gives the same number");
    let ss = figure("china_police_south_sudan_10", "peacekeeping_police_deployed", "002#13@en");
    assert_eq!((int(ss), date(ss.period.date)), (12, "2024".into()));
    assert_eq!(int(figure("china_police_cyprus", "peace_medal_recipients", "002#7@zh")), 3);
    assert_eq!(int(figure("china_police_car_1", "peace_medal_recipients", "002#7@zh")), 5);
}

#[test]
fn telecom_fraud_campaign_results() {
    let back = figure("telecom_fraud_campaign", "suspects_repatriated", "003#5@zh");
    assert_eq!(int(back), 63);
    assert_eq!(back.counterpart.as_ref().map(|c| c.as_str()), Some("cambodia"));
    assert_eq!(date(back.period.date), "2016-09-20");
    assert_eq!(int(figure("telecom_fraud_campaign", "suspects_arrested", "003#5@zh")), 1168);
    assert_eq!(int(figure("telecom_fraud_campaign", "criminal_dens_dismantled", "003#5@zh")), 65);
    let money = figure("telecom_fraud_campaign", "amount_involved", "003#5@zh");
    assert_eq!((int(money), money.unit.as_str()), (710_000_000, "CNY"));
}

#[test]
fn escort_and_mh370_figures() {
    let missions = figure("gulf_of_aden_escort", "escort_missions", "004#22@en");
    assert_eq!(int(missions), 909);
    assert_eq!((date(missions.period.start), date(missions.period.end)), ("2008-12".into(), "2016-01".into()));
    assert_eq!(int(figure("gulf_of_aden_escort", "vessels_escorted", "004#22@en")), 6112);
    let aud = figures("china", "funding_provided").into_iter().find(|f| f.unit == "AUD").expect("A$ figure");
    assert_eq!(int(aud), 20_000_000);
    assert_eq!(aud.counterpart.as_ref().map(|c| c.as_str()), Some("mh370_search"));
}

#[test]
fn every_figure_unit_and_measure_is_declared() {
    for f in &data().figures {
        assert!(data().measures.contains_key(f.measure.as_str()), "measure {} is declared", f.measure);
        assert!(!f.unit.is_empty());
        assert!(!f.sources.is_empty() && f.sources.iter().all(|c| c.paragraph.is_some() && c.lang.is_some()));
    }
}

#[test]
fn lower_bounds_are_more_than_not_exact() {
    // "over", "more than", 逾, 余: the value is the bound, the comparator says so.
    let bounds = [
        ("china", "judicial_assistance_requests_handled", "000#3@en", 3300),
        ("china", "fugitive_source_countries", "000#3@en", 90),
        ("safe_mekong_2", "suspects_arrested", "004#13@en", 10000),
        ("safe_mekong_2", "cases_solved", "004#13@en", 9000),
        ("china", "joint_operations_per_year", "003#5@zh", 100),
        ("china", "regular_meeting_partner_countries", "003#5@zh", 50),
        ("china", "cooperation_documents_signed", "003#5@zh", 400),
        ("china", "cooperation_document_partner_countries", "003#5@zh", 70),
        ("telecom_fraud_campaign", "cases_solved", "003#5@zh", 3300),
    ];
    for (subject, measure, citation, value) in bounds {
        let f = figure(subject, measure, citation);
        assert_eq!((int(f), f.comparator.symbol), (value, ">"), "{subject}/{measure} {citation}");
    }
    // The exact count of 000 stays exact beside 004's bound.
    assert_eq!(figure("safe_mekong_2", "suspects_arrested", "000#2@zh").comparator.symbol, "=");
    let lower = data().figures.iter().filter(|f| f.comparator.symbol == ">").count();
    assert_eq!(lower, bounds.len(), "every lower bound is listed above");
}

#[test]
fn numbered_operations_carry_their_ordinal() {
    // The number in "the 51st joint patrol" is data, not only a label.
    let numbered = [
        ("mekong_joint_patrol_51", 51),
        ("safe_mekong_2", 2),
        ("china_vietnam_border_drug_op_3", 3),
        ("china_us_cybercrime_dialogue_2", 2),
        ("china_uk_security_dialogue_2016", 1),
        ("china_police_south_sudan_10", 10),
        ("china_police_car_1", 1),
        ("uncops_2024", 4),
        ("sco_emergency_heads_meeting_8", 8),
        ("cjk_disaster_tabletop_3", 3),
        ("arf_direx_4", 4),
        ("wcdrr_3", 3),
        ("apec_sdmof_9", 9),
        ("arf_ism_cttc_13", 13),
        ("wic_2", 2),
        ("china_thailand_marine_jcm_4", 4),
        ("china_sea_marine_forum_3", 3),
        ("npt_revcon_9", 9),
    ];
    for (id, n) in numbered {
        assert_eq!(entity(id).ordinal, Some(n), "{id}");
    }
    let all = data().entities.values().filter(|e| e.ordinal.is_some()).count();
    assert_eq!(all, numbered.len(), "every numbered operation is listed above");
}

#[test]
fn dates_resolved_from_context_are_marked_inferred() {
    // Source 001 is undated and placed in spring 2015 from what it reports;
    // its "last November", "last year" and "on Wednesday" are resolved
    // against that, and each date so resolved says so.
    let inferred_entities = [
        "fox_hunt_2015",
        "apec_beijing_2014",
        "g20_brisbane_2014",
        "fugitive_office",
        "g20_acap_2015_2016",
        "beijing_anti_corruption_declaration",
    ];
    for id in inferred_entities {
        let note = entity(id).period.inferred.as_deref().unwrap_or_else(|| panic!("{id}: not marked inferred"));
        assert!(note.contains("undated"), "{id}: {note}");
    }
    let inferred_relations = [
        ("mps", "participated_in", "fox_hunt_2015"),
        ("g20", "signed_with", "g20_acap_2015_2016"),
        ("china", "negotiates_with", "france"),
    ];
    for (s, p, o) in inferred_relations {
        let found = relations(s, p, o);
        assert!(
            found.iter().any(|r| r.period.inferred.is_some()),
            "{s} {p} {o}: no inferred date among {} statements",
            found.len()
        );
    }
    assert!(figure("china", "fugitives_returned", "001#16@en").period.inferred.is_some());
    // A date the text states is not marked: Sky Net's March 2015 start.
    assert_eq!(entity("sky_net").period.inferred, None);
    let all = data().entities.values().filter(|e| e.period.inferred.is_some()).count()
        + data().relations.iter().filter(|r| r.period.inferred.is_some()).count()
        + data().figures.iter().filter(|f| f.period.inferred.is_some()).count();
    // Beyond 001: the day of the "10·5" Mekong attack, read from its name,
    // and the month of the Vietnamese crash, taken from the search.
    assert!(entity("mekong_attack_2011").period.inferred.is_some());
    assert!(entity("vietnam_aircraft_crash_2016").period.inferred.is_some());
    assert_eq!(all, 23, "inferred dates in the data");
}

// ---------------------------------------------------------------------------
// Places, incidents and groups (model v2)
// ---------------------------------------------------------------------------

/// Ids of the entities of one kind, sorted.
fn ids_of_kind(kind: &str) -> Vec<&'static str> {
    let mut v: Vec<&str> = data().entities.values().filter(|e| e.kind.name() == kind).map(|e| e.id.as_str()).collect();
    v.sort_unstable();
    v
}

#[test]
fn places_the_documents_name() {
    let places = [
        ("andaman_sea", "sea", "安达曼海"),
        ("beijing", "city", "北京"),
        ("brisbane", "city", "布里斯班"),
        ("guanlei_port", "port", "关累码头"),
        ("guiyang", "city", "贵阳市"),
        ("guizhou", "region", "贵州省"),
        ("gulf_of_aden", "sea", "亚丁湾"),
        ("jiangsu", "region", "江苏省"),
        ("lianyungang", "city", "连云港"),
        ("mekong", "river", "湄公河"),
        ("nanjing", "city", "南京"),
        ("nanjing_lukou_airport", "facility", "南京禄口国际机场"),
        ("qianxinan", "region", "黔西南布依族苗族自治州"),
        ("somali_waters", "sea", "索马里海域"),
        ("south_sudan_mission_area", "region", "南苏丹任务区"),
        ("xishuangbanna", "region", "西双版纳傣族自治州"),
        ("yunnan", "region", "云南省"),
    ];
    let ids: Vec<&str> = places.iter().map(|(id, _, _)| *id).collect();
    assert_eq!(ids_of_kind("place"), ids, "every place is listed here");
    for (id, category, zh) in places {
        let p = entity(id);
        assert_eq!(p.category.name, category, "{id}");
        assert_eq!(p.label_in("zh"), Some(zh), "{id}");
        assert!(!p.sources.is_empty(), "{id} cites where it is named");
    }
    assert_eq!(entity("beijing").wikidata.as_ref().map(|q| q.as_str()), Some("Q956"));
}

#[test]
fn places_lie_in_places_and_countries() {
    let chain = [
        ("guanlei_port", "xishuangbanna", "003#5@zh"),
        ("xishuangbanna", "yunnan", "003#5@zh"),
        ("yunnan", "china", "003#5@zh"),
        ("nanjing_lukou_airport", "nanjing", "003#5@zh"),
        ("nanjing", "jiangsu", "003#5@zh"),
        ("jiangsu", "china", "003#5@zh"),
        ("guiyang", "guizhou", "002#11@en"),
        ("qianxinan", "guizhou", "002#5@zh"),
        ("guizhou", "china", "002#11@en"),
        ("brisbane", "australia", "001#13@en"),
        ("beijing", "china", "001#5@en"),
        ("lianyungang", "china", "002#11@en"),
        ("somali_waters", "somalia", "004#22@en"),
        ("south_sudan_mission_area", "south_sudan", "002#13@en"),
    ];
    for (place, larger, citation) in chain {
        assert!(cites(&relation(place, "located_in", larger).sources, citation), "{place} in {larger}");
    }
    // The Mekong runs through the four countries of the mechanism (000#4).
    for c in ["china", "laos", "myanmar", "thailand"] {
        assert!(cites(&relation("mekong", "located_in", c).sources, "000#4@en"), "{c}");
    }
    // Only Brisbane's country is said outright among the cities.
    assert!(relation("beijing", "located_in", "china").implied);
    assert!(!relation("brisbane", "located_in", "australia").implied);
    // Every place lies somewhere, except the two seas the texts do not place.
    for id in ids_of_kind("place") {
        let placed = data().relations.iter().any(|r| r.subject.as_str() == id && r.relation_type.name == "located_in");
        assert_eq!(placed, !["andaman_sea", "gulf_of_aden"].contains(&id), "{id}");
    }
}

#[test]
fn operations_reach_the_places_the_texts_name() {
    let deployed = [
        ("gulf_of_aden_escort", "gulf_of_aden", "004#22@en"),
        ("gulf_of_aden_escort", "somali_waters", "004#22@en"),
        ("safe_mekong", "mekong", "000#4@en"),
        ("mekong_joint_patrol", "mekong", "003#5@zh"),
        ("mekong_joint_patrol_51", "mekong", "003#5@zh"),
        ("andaman_sea_expedition", "andaman_sea", "004#20@en"),
        ("china_police_south_sudan_10", "south_sudan_mission_area", "002#13@en"),
    ];
    for (op, place, citation) in deployed {
        assert!(cites(&relation(op, "deployed_to", place).sources, citation), "{op} -> {place}");
    }
    let hosted = [
        ("apec_beijing_2014", "beijing", "001#5@en"),
        ("g20_brisbane_2014", "brisbane", "001#13@en"),
        ("china_us_cybercrime_dialogue_2", "beijing", "003#5@zh"),
        ("mekong_joint_patrol_51", "guanlei_port", "003#5@zh"),
        ("liaison_officer_guizhou_visit", "guiyang", "002#11@en"),
        ("liaison_officer_guizhou_visit", "qianxinan", "002#11@en"),
        ("gpscf", "lianyungang", "002#12@en"),
        ("gpscf_2024", "lianyungang", "002#11@en"),
        ("cambodia_fraud_suspects_return_2016", "nanjing_lukou_airport", "003#5@zh"),
    ];
    for (item, place, citation) in hosted {
        assert!(cites(&relation(item, "hosted_by", place).sources, citation), "{item} at {place}");
    }
    // The forum only carries the city's name: implied, and said why.
    assert!(relation("gpscf", "hosted_by", "lianyungang").implied);
    // The country-level records stay beside the place-level ones.
    assert!(!relations("gulf_of_aden_escort", "deployed_to", "somalia").is_empty());
    assert!(!relations("apec_beijing_2014", "hosted_by", "china").is_empty());
    assert!(!relations("liaison_officer_guizhou_visit", "hosted_by", "china").is_empty());
    // The flight of 20 September 2016: 63 suspects from Cambodia, within the campaign.
    let flight = entity("cambodia_fraud_suspects_return_2016");
    assert_eq!(date(flight.period.date), "2016-09-20");
    assert!(!relations("cambodia_fraud_suspects_return_2016", "part_of", "telecom_fraud_campaign").is_empty());
    assert!(!relations("cambodia_fraud_suspects_return_2016", "deployed_to", "cambodia").is_empty());
}

#[test]
fn mekong_attack_of_2011_and_what_answered_it() {
    let attack = entity("mekong_attack_2011");
    assert_eq!(attack.kind.name(), "incident");
    assert_eq!(attack.category.name, "attack");
    assert_eq!(attack.label_in("zh"), Some("湄公河“10·5”惨案"));
    assert_eq!(date(attack.period.date), "2011-10-05");
    assert!(cites(&attack.sources, "003#5@zh"));
    assert!(!relations("mekong_attack_2011", "located_in", "mekong").is_empty());
    let mechanism = relation("mekong_mechanism", "responds_to", "mekong_attack_2011");
    assert!(!mechanism.implied && cites(&mechanism.sources, "003#5@zh"));
    // The patrols answer it through the mechanism: implied.
    assert!(relation("mekong_joint_patrol", "responds_to", "mekong_attack_2011").implied);
}

#[test]
fn disasters_and_accidents_answered_by_relief_and_searches() {
    let answered = [
        ("flood_relief_malaysia_2015", "malaysia_floods_2015", "disaster", "2015-01", Some("malaysia")),
        ("flood_relief_myanmar_2015", "myanmar_floods_2015", "disaster", "2015-07", Some("myanmar")),
        ("flood_relief_sri_lanka_2016", "sri_lanka_floods_2016", "disaster", "2016-05", Some("sri_lanka")),
        ("nepal_earthquake_relief_2015", "nepal_earthquakes_2015", "disaster", "2015-04", Some("nepal")),
        ("vietnam_aircraft_sar_2016", "vietnam_aircraft_crash_2016", "accident", "2016-06", None),
        ("mh370_search", "mh370_disappearance", "accident", "", None),
    ];
    for (op, incident, category, when, country) in answered {
        let i = entity(incident);
        assert_eq!(i.category.name, category, "{incident}");
        assert_eq!(date(i.period.date), when, "{incident}");
        let r = relation(op, "responds_to", incident);
        assert!(r.sources.iter().all(|c| c.to_string().starts_with("004#")), "{op}");
        if let Some(c) = country {
            assert!(!relations(incident, "located_in", c).is_empty(), "{incident} in {c}");
        }
    }
    let mut incidents = ids_of_kind("incident");
    incidents.retain(|id| *id != "mekong_attack_2011");
    let mut listed: Vec<&str> = answered.iter().map(|(_, i, _, _, _)| *i).collect();
    listed.sort_unstable();
    assert_eq!(incidents, listed, "every incident is listed here or above");
}

#[test]
fn etim_is_a_terrorist_organization_china_fights() {
    let etim = entity("etim");
    assert_eq!(etim.kind.name(), "group");
    assert_eq!(etim.category.name, "terrorist_organization");
    assert!(etim.aliases.iter().any(|(l, names)| l.as_str() == "en" && names.iter().any(|n| n == "ETIM")));
    let r = relation("china", "targets", "etim");
    assert_eq!(date(r.period.start), "2015");
    assert!(cites(&r.sources, "004#8@en"));
    assert_eq!(ids_of_kind("group"), ["etim"]);
}

// ---------------------------------------------------------------------------
// Strands of cooperation, each with its own type and citations
// ---------------------------------------------------------------------------

#[test]
fn counter_terrorism_consultations_with_eight_countries() {
    // 004#9: bilateral counter-terrorism consultations, one record per country.
    let mut with: Vec<&str> = data()
        .relations
        .iter()
        .filter(|r| r.relation_type.name == "consults_with" && r.subject.as_str() == "china")
        .filter(|r| cites(&r.sources, "004#9@en"))
        .map(|r| r.object.as_str())
        .collect();
    with.sort_unstable();
    assert_eq!(
        with,
        ["canada", "india", "indonesia", "pakistan", "russia", "south_korea", "united_kingdom", "united_states"]
    );
    // None of them is left as a plain cooperation record.
    for r in data().relations.iter().filter(|r| r.relation_type.name == "cooperates_with") {
        assert!(!cites(&r.sources, "004#9@en"), "{} cooperates_with {} cites 004#9", r.subject, r.object);
    }
}

#[test]
fn china_us_strands_are_separate_records() {
    let records = relations("china", "cooperates_with", "united_states");
    let cooperation = records.iter().find(|r| r.period.date.is_none()).expect("the undated cooperation record");
    assert!(cites(&cooperation.sources, "001#8@en") && cites(&cooperation.sources, "004#12@en"));
    // The cybercrime dialogue (003#5, 004#17) and the counter-terrorism consultations (004#9).
    let talks = relation("china", "consults_with", "united_states");
    for citation in ["003#5@zh", "004#9@en", "004#17@en"] {
        assert!(cites(&talks.sources, citation), "{citation}");
    }
    assert!(!cites(&cooperation.sources, "004#9@en") && !cites(&cooperation.sources, "004#17@en"));
    // The dated agreement on stolen assets stays a cooperation record of its own.
    assert_eq!(records.len(), 2);
    assert!(records.iter().any(|r| date(r.period.date) == "2014-10" && cites(&r.sources, "001#11@en")));
}

#[test]
fn dialogues_are_consultations_not_cooperation() {
    let dialogues = [
        ("china", "united_kingdom", "003#5@zh"),
        ("china", "asean", "004#13@en"),
        ("china", "russia", "004#17@en"),
        ("china", "south_korea", "004#17@en"),
        ("china", "japan", "004#17@en"),
        ("japan", "south_korea", "004#17@en"),
        ("china", "eu", "004#17@en"),
    ];
    for (a, b, citation) in dialogues {
        assert!(relations(a, "consults_with", b).iter().any(|r| cites(&r.sources, citation)), "{a} {b} {citation}");
    }
    assert_eq!(date(relation("china", "consults_with", "asean").period.date), "2015-10");
    // Pairs whose only stated tie is talks keep no cooperation record.
    for (a, b) in [("china", "russia"), ("china", "south_korea"), ("china", "japan"), ("japan", "south_korea")] {
        assert!(relations(a, "cooperates_with", b).is_empty(), "{a} cooperates_with {b}");
    }
    for b in ["india", "pakistan", "eu"] {
        assert!(relations("china", "cooperates_with", b).is_empty(), "china cooperates_with {b}");
    }
}

#[test]
fn instruments_submitted_and_adopted() {
    assert!(cites(&relation("infosec_code_of_conduct", "submitted_to", "unga").sources, "004#17@en"));
    let brisbane = relation("g20_acap_2015_2016", "adopted_at", "g20_brisbane_2014");
    assert_eq!(brisbane.role.as_deref(), Some("endorsement"));
    assert_eq!(date(brisbane.period.date), "2014-11");
    let beijing = relation("beijing_anti_corruption_declaration", "adopted_at", "apec_beijing_2014");
    assert_eq!(beijing.role.as_deref(), Some("adoption"));
    assert!(cites(&beijing.sources, "001#5@en"));
    for plan in ["g20_high_level_principles", "g20_acap_2017_2018"] {
        let r = relation(plan, "adopted_at", "g20");
        assert_eq!(r.role.as_deref(), Some("adoption"), "{plan}");
        assert!(cites(&r.sources, "000#1@zh") && cites(&r.sources, "000#3@en"), "{plan}");
    }
}
