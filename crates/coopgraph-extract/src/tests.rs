//! Shared test fixtures and the table of sentences with their expected
//! candidates, in both languages.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use coopgraph_load::{LoadOptions, load_texts};
use coopgraph_model::Dataset;

use crate::{ExtractOptions, Extractor, Fact, Status};

/// A small gazetteer of our own (not the curated data).
pub const FIXTURE_DATA: &[(&str, &str)] = &[
    (
        "countries.toml",
        r#"
[[country]]
id = "china"
label = { en = "China", zh = "中国" }
aliases = { en = ["PRC"] }

[[country]]
id = "chile"
label = { en = "Chile", zh = "智利" }

[[country]]
id = "united_states"
label = { en = "United States", zh = "美国" }
aliases = { en = ["US"] }
"#,
    ),
    (
        "organizations.toml",
        r#"
[[organization]]
id = "sco"
label = { en = "Shanghai Cooperation Organisation", zh = "上海合作组织" }
aliases = { en = ["SCO"], zh = ["上合组织"] }

[[organization]]
id = "interpol"
label = { en = "International Criminal Police Organization", zh = "国际刑警组织" }
aliases = { en = ["Interpol"] }

[[organization]]
id = "un"
label = { en = "United Nations", zh = "联合国" }
aliases = { en = ["UN"] }

[[organization]]
id = "brics"
label = { en = "BRICS", zh = "金砖国家" }
aliases = { en = ["Harbourland, Chile and China"] }

[[organization]]
id = "harbour_ministry"
label = { en = "Ministry of Harbours", zh = "港口部" }

[[organization]]
id = "unsc"
label = { en = "United Nations Security Council", zh = "联合国安理会" }
"#,
    ),
    (
        "operations.toml",
        r#"
[[operation]]
id = "patrol_a"
label = { en = "Mekong patrol" }

[[operation]]
id = "patrol_b"
label = { en = "First Mekong patrol" }
aliases = { en = ["Mekong patrol"] }

[[operation]]
id = "harbour_watch"
label = { en = "Harbour Watch", zh = "港口守望行动" }
"#,
    ),
    (
        "treaties.toml",
        r#"
[[treaty]]
id = "harbour_treaty"
label = { en = "Harbour Treaty", zh = "港口条约" }
aliases = { en = ["Port Pact"] }

[[treaty]]
id = "harbour_principles"
label = { en = "Harbour Principles", zh = "港口原则" }
"#,
    ),
    (
        "measures.toml",
        r#"
[[measure]]
id = "fugitives_returned"
label = { en = "fugitives returned", zh = "追回外逃人员" }
unit = "people"

[[measure]]
id = "assets_recovered"
label = { en = "assets recovered", zh = "追赃金额" }
unit = "CNY"

[[measure]]
id = "cases_solved"
label = { en = "cases solved", zh = "破获案件" }
unit = "cases"
"#,
    ),
];

pub fn dataset() -> Dataset {
    load_texts(FIXTURE_DATA, &LoadOptions::default()).unwrap()
}

fn extract(text: &str, date: &str) -> Vec<crate::Candidate> {
    let data = dataset();
    let options = ExtractOptions { source: "900".into(), date: Some(date.parse().unwrap()), read_as: Vec::new() };
    Extractor::new(&data).extract(text, &options).candidates
}

/// (sentence, document date, expected facts as short strings).
const TABLE: &[(&str, &str, &[&str])] = &[
    (
        "China returned more than 3,453 fugitives last year.",
        "2015-04",
        &["entity china", "date 2014 relative", "figure china fugitives_returned 3453 people more than date=2014"],
    ),
    ("中國追回95.1億元追贓金額。", "2016", &["entity china", "figure china assets_recovered 9510000000 CNY -"]),
    (
        "去年，中国破获案件3300余起。",
        "2016-11-11",
        &["date 2015 relative", "entity china", "figure china cases_solved 3300 cases more than date=2015"],
    ),
    (
        "China is a member of the SCO and Interpol.",
        "2016",
        &[
            "entity china",
            "entity sco",
            "entity interpol",
            "relation china member_of sco member",
            "relation china member_of interpol member",
        ],
    ),
    (
        "中国加入了《港口安全公约》。",
        "2016",
        &["entity china", "new_entity treaty convention 港口安全公约", "relation china party_to treaty_"],
    ),
    (
        "Chile hosted the Harbour Police Forum on 2016-05-04.",
        "2016",
        &[
            "entity chile",
            "new_entity organization forum Harbour Police Forum",
            "date 2016-05-04 absolute",
            "relation harbour_police_forum hosted_by chile -",
        ],
    ),
    // A name that holds known names states relations with them.
    ("Chile hosted the Second SCO Harbour Meeting.", "2016", &["relation second_sco_harbour_meeting hosted_by sco -"]),
    // Both sides after "between", in a list whose names carry articles.
    (
        "Police cooperation between the United States, the PRC and Chile grew.",
        "2016",
        &["relation united_states cooperates_with china -", "relation united_states cooperates_with chile -"],
    ),
    // Names joined by hyphens or dashes cooperate.
    (
        "The Chile-PRC-US cooperation went on.",
        "2016",
        &[
            "relation chile cooperates_with china -",
            "relation chile cooperates_with united_states -",
            "relation china cooperates_with united_states -",
        ],
    ),
    ("智利—中国合作委员会成立。", "2016", &["relation chile cooperates_with china -"]),
    // Countries in brackets after an organization are its members.
    (
        "BRICS (Chile, China and the US) met.",
        "2016",
        &[
            "relation chile member_of brics member",
            "relation china member_of brics member",
            "relation united_states member_of brics member",
        ],
    ),
    ("金砖国家（智利、中国）开会。", "2016", &["relation chile member_of brics member"]),
    // New trigger words.
    // Consultations and dialogues are consults_with, a strand of their own.
    ("Chile held consultations with the US.", "2016", &["relation chile consults_with united_states -"]),
    ("中国与智利举行磋商。", "2016", &["relation chile consults_with china -"]),
    // Names joined by a hyphen before a word of talks hold consultations.
    ("Chile-US dialogues were held.", "2016", &["relation chile consults_with united_states -"]),
    ("智利—中国磋商举行。", "2016", &["relation chile consults_with china -"]),
    ("Harbour Watch, organized by Chile, ended.", "2016", &["relation chile participated_in harbour_watch organizer"]),
    ("Chile attended Harbour Watch.", "2016", &["relation chile participated_in harbour_watch participant"]),
    // A role in an operation is a part in it (Chinese writes it around the
    // name, 在X中发挥作用, and is left to 参与).
    (
        "Chile played a constructive role in the Harbour Watch.",
        "2016",
        &["relation chile participated_in harbour_watch participant"],
    ),
    ("智利出席港口守望行动。", "2016", &["relation chile participated_in harbour_watch participant"]),
    // An operation that frames the sentence is what its numbers count.
    (
        "2016年，在智利承办的港口守望行动中，各国破获案件3300余起。",
        "2016",
        &["figure harbour_watch cases_solved 3300 cases more than"],
    ),
    ("In the Harbour Watch, Chile solved 12 cases.", "2016", &["figure harbour_watch cases_solved 12 cases -"]),
    // A bare number before "of which" counts what the number before it counts.
    ("China has treaties with 40 countries, 32 of which are in force.", "2016", &["figure china ? 32 countries -"]),
    // A currency before the digits, English number words before a unit.
    ("China recovered RMB9.5 billion.", "2016", &["figure china assets_recovered 9500000000 CNY -"]),
    ("China helped the three countries.", "2016", &["figure china ? 3 countries -"]),
    // The noun before a count in 个; a count is not part of a name.
    ("中国参与的国际组织及多边机制82个。", "2016", &["figure china ? 82 organizations and mechanisms -"]),
    ("中国搭建了129个双多边合作机制。", "2016", &["figure china ? 129 mechanisms -"]),
    // A country listed inside a known name that is a list of names.
    ("BRICS (Harbourland, Chile and China) met.", "2016", &["new_entity country state Harbourland"]),
    // An ISO date right after a Han character.
    ("中国于2016-05-04签署《港口条约》。", "2016", &["date 2016-05-04 absolute"]),
    // The subject is the nearest entity of a kind the relation allows,
    // passing over an operation and the object of a preposition; a
    // numbered session of a forum is an event.
    (
        "Chile hosted the Harbour Watch, co-hosted with the US the Harbour Drill, and attended the Ninth Harbour Police Forum.",
        "2016",
        &[
            "new_entity operation event Ninth Harbour Police Forum",
            "relation chile participated_in ninth_harbour_police_forum participant",
            "relation chile participated_in harbour_drill co_host",
        ],
    ),
    ("第三届港口警务论坛在智利举行。", "2016", &["new_entity operation event 第三届港口警务论坛"]),
    // A count of what belongs to a name is about that name; so is a duration before it.
    ("智利派出的港口守望行动的12名队员获奖。", "2016", &["figure harbour_watch ? 12 people -"]),
    (
        "In 2016, 12 members of the Harbour Watch from Chile were decorated.",
        "2016",
        &["figure harbour_watch ? 12 people -"],
    ),
    ("为期4天的港口守望行动在智利开始。", "2016", &["figure harbour_watch ? 4 days -"]),
    // 在X期间 frames its sentence like 在X中.
    ("在港口守望行动期间，智利破获案件30起。", "2016", &["figure harbour_watch cases_solved 30 cases -"]),
    // A shorter name that ends a longer new one refers back to it, and
    // the second character of a verb is not part of a name.
    (
        "智利开展港口海域清理专项行动。在专项行动期间，智利破获案件30起。",
        "2016",
        &["new_entity operation joint_operation 港口海域清理专项行动", "figure operation_"],
    ),
    // Words joined by a hyphen to a known country are countries, and cooperate.
    (
        "The Chile-Harbourland cooperation went on.",
        "2016",
        &["new_entity country state Harbourland", "relation chile cooperates_with harbourland -"],
    ),
    // A bare number that is the subject of a verb counts people.
    ("Of those Chile seized, 41 turned themselves in.", "2016", &["figure chile ? 41 people -"]),
    // A count per year is a rate.
    (
        "Chile handled more than 300 requests for help every year.",
        "2016",
        &["figure chile ? 300 requests per year more than"],
    ),
    ("智利每年处理司法协助请求200件以上。", "2016", &["figure chile ? 200 requests per year"]),
    // A count of an instrument's own items is about the instrument.
    (
        "Chile adopted the Harbour Principles. Its five principles were praised.",
        "2016",
        &["figure harbour_principles ? 5 principles -"],
    ),
    ("智利通过了港口原则，确立5条原则。", "2016", &["figure harbour_principles ? 5 principles -"]),
    // A part with its own noun a few words on counts what that noun counts.
    (
        "Chile returned 300 fugitives from 20 countries, including 12 on the list of most wanted fugitives.",
        "2016",
        &["figure chile fugitives_returned 12 people -"],
    ),
    // Chinese leaves out the subject the sentence before gave.
    ("智利破获案件30起；向联合国派遣警察50人次。", "2016", &["figure chile ? 50 person-times -"]),
    // An English subject is not in a list a preposition governs.
    (
        "Chile held consultations with the US and the PRC, hosted the Harbour Watch.",
        "2016",
        &["relation chile participated_in harbour_watch host", "relation chile consults_with united_states -"],
    ),
    // The other side of a trigger is not its own partner.
    ("Chile said it would help China and cooperate with China.", "2016", &["relation chile cooperates_with china -"]),
    // 同 A、B 等...合作: the subject before cooperates with each of the list.
    (
        "中国同智利、联合国等的交流合作不断加强。",
        "2016",
        &["relation china cooperates_with chile -", "relation china cooperates_with un -"],
    ),
    // 在X框架内: the framework comes first.
    ("在港口条约框架内，上合组织开展港口守望行动。", "2016", &["relation sco established_under harbour_treaty -"]),
    // Negotiations on treaties with a country, the treaties unnamed, are a
    // negotiation between the two, not a plain cooperation record.
    (
        "Chile finished negotiations on treaties with the US and China.",
        "2016",
        &["relation chile negotiates_with united_states -", "relation chile negotiates_with china -"],
    ),
    // Two countries' initials before a word of joint action name both, and
    // the two cooperate (talks, `会谈`, are consultations).
    (
        "中美举行会谈。",
        "2016",
        &["entity china", "entity united_states", "relation china consults_with united_states -"],
    ),
    // A body named for one country is that country's; for two, they are its members.
    ("智利港口中心成立。", "2016", &["new_entity organization agency 智利港口中心", "relation organization_"]),
    // A list goes on past a name's other name in brackets, and across titles.
    (
        "Chile acceded to the Harbour Treaty (also known as the Port Pact), and the Harbour Principles.",
        "2016",
        &["relation chile party_to harbour_treaty accession", "relation chile party_to harbour_principles accession"],
    ),
    ("智利加入《港口条约》《港口原则》。", "2016", &["relation chile party_to harbour_principles accession"]),
    // An instrument named for a body is adopted by it and at it.
    (
        "The SCO Port Safety Principles were praised.",
        "2016",
        &[
            "relation sco signed_with sco_port_safety_principles adopter",
            "relation sco_port_safety_principles adopted_at sco -",
        ],
    ),
    ("《上海合作组织港口安全原则》获得好评。", "2016", &["relation sco signed_with treaty_", "relation treaty_"]),
    // An active trigger's actor is no object of a preposition either.
    (
        "Chile held consultations with the SCO, hosted the Harbour Police Forum.",
        "2016",
        &["relation harbour_police_forum hosted_by chile -"],
    ),
];

/// Candidates that must not be proposed: (sentence, a prefix no candidate has).
const NOT_PROPOSED: &[(&str, &str)] = &[
    // One trigger states one relation: a country that hosts an event takes
    // part in it as host, and is not also where it was held.
    ("Chile hosted the Harbour Watch.", "relation harbour_watch hosted_by"),
    ("智利承办港口守望行动。", "relation harbour_watch hosted_by"),
    (
        "Chile held consultations with the SCO, hosted the Harbour Police Forum.",
        "relation harbour_police_forum hosted_by sco",
    ),
    // A number in quotation marks is part of a name.
    ("智利追回“百名要犯”中的30人。", "figure chile ? 100 "),
    // An amount per item is no total.
    ("Chile seized 40 people in cases of over 2 million yuan each.", "figure chile ? 2000000 "),
    // 数十名, dozens.
    ("智利抓获数十名嫌疑人。", "figure chile ? 10 "),
    // The list a preposition governs does not host.
    ("Chile held consultations with the US and the PRC, hosted the Harbour Watch.", "relation china participated_in"),
    // No partner named after "cooperation with".
    ("Interpol met Chile. The PRC stressed cooperation with its neighbours.", "relation interpol cooperates_with"),
    // The list after 同 is not partners of each other.
    ("中国同智利、联合国等的交流合作不断加强。", "relation chile cooperates_with un"),
    ("中国同智利、联合国等的交流合作不断加强。", "relation un cooperates_with chile"),
    // Where a team goes is no partner.
    ("中国派工作组赴智利、美国开展合作。", "relation china cooperates_with chile"),
    // 组织 as a noun is no trigger.
    ("联合国等国际组织的港口守望行动取得成效。", "relation un participated_in"),
    // Initials inside other words name nothing.
    ("中美洲的港口。", "entity united_states"),
    // A body named for one country: hosted there, not a member.
    ("智利港口中心成立。", "relation chile member_of"),
];

#[test]
fn candidates_that_must_not_be_proposed() {
    for (text, forbidden) in NOT_PROPOSED {
        let got: Vec<String> = extract(text, "2016").iter().skip(1).map(describe).collect();
        assert!(!got.iter().any(|g| g.starts_with(forbidden)), "{text}: {forbidden:?} in {got:#?}");
    }
}

/// A deployment named in both languages of a document is one candidate,
/// deployed where its name says, with the figures of its members.
#[test]
fn a_deployment_named_in_both_languages_is_one_candidate() {
    let text = "智利首支赴北岛维和警队的12名队员获奖。\n12 members of the first Chilean peacekeeping police force to North Isle were decorated.\n";
    let got = extract(text, "2016");
    let ids: Vec<(String, usize)> = got
        .iter()
        .filter_map(|c| match &c.fact {
            Fact::NewEntity { proposed_id, entity_kind: "operation", mentions, .. } => {
                Some((proposed_id.clone(), mentions.len()))
            }
            _ => None,
        })
        .collect();
    assert_eq!(ids.len(), 1, "{got:#?}");
    let id = &ids[0].0;
    assert_eq!(ids[0].1, 2, "{got:#?}");
    let described: Vec<String> = got.iter().filter(|c| c.paragraph == 2).map(describe).collect();
    assert!(described.iter().any(|g| g == &format!("figure {id} ? 12 people -")), "{described:#?}");
    assert!(described.iter().any(|g| g == "new_entity country state North Isle"), "{described:#?}");
    assert!(described.iter().any(|g| g == &format!("relation {id} deployed_to north_isle -")), "{described:#?}");
}

/// The tenth contingent a country sends says it has sent ten.
#[test]
fn the_number_of_a_deployment_counts_those_its_country_sent() {
    for text in ["智利第十支赴北岛维和警队出发。", "The 10th Chile peacekeeping police force to North Isle left."]
    {
        let got: Vec<String> = extract(text, "2016").iter().map(describe).collect();
        assert!(got.iter().any(|g| g == "figure chile ? 10 contingents -"), "{text}: {got:#?}");
        assert!(!got.iter().any(|g| g.starts_with("figure country_")), "{text}: {got:#?}");
    }
}

/// The place an operation's name says it goes to (`赴X`) is proposed as a
/// country, and the operation is deployed to it.
#[test]
fn an_operation_named_for_where_it_goes_is_deployed_there() {
    let got: Vec<String> = extract("智利首支赴北岛维和警队抵达北岛。", "2016").iter().skip(1).map(describe).collect();
    assert!(got.iter().any(|g| g == "new_entity country state 北岛"), "{got:#?}");
    assert!(
        got.iter().any(|g| g.starts_with("relation operation_") && g.contains(" deployed_to country_")),
        "{got:#?}"
    );
    assert!(got.iter().any(|g| g.starts_with("relation chile participated_in operation_")), "{got:#?}");
}

/// Places are proposed in both languages, and where the text nests them
/// (`甲省乙州的丙码头`, "A City in B Province") each lies in the larger
/// one; a province of China lies in China.
#[test]
fn places_are_proposed_and_lie_in_the_larger_place() {
    let got: Vec<String> =
        extract("巡逻船驶出湖南省北湾苗族自治州的芦港码头。", "2016").iter().skip(1).map(describe).collect();
    for e in
        ["new_entity place region 湖南省", "new_entity place region 北湾苗族自治州", "new_entity place port 芦港码头"]
    {
        assert!(got.iter().any(|g| g == e), "{e}: {got:#?}");
    }
    let lies_in = got.iter().filter(|g| g.starts_with("relation place_") && g.contains(" located_in place_")).count();
    assert_eq!(lies_in, 2, "{got:#?}");
    assert!(got.iter().any(|g| g.starts_with("relation place_") && g.contains(" located_in china")), "{got:#?}");
    let got: Vec<String> =
        extract("Officers visited North Bay City and the Reed Prefecture in Hunan Province.", "2016")
            .iter()
            .skip(1)
            .map(describe)
            .collect();
    for e in [
        "relation north_bay_city located_in hunan_province",
        "relation reed_prefecture located_in hunan_province",
        "relation hunan_province located_in china",
    ] {
        assert!(got.iter().any(|g| g.starts_with(e)), "{e}: {got:#?}");
    }
}

/// "the ministry" names the ministry named last before it.
#[test]
fn a_definite_description_names_the_body_named_before() {
    let text = "The Ministry of Harbours met Chile.\nThe talks went well, the ministry said.\nThe Ministry of Harbours and the ministry of another land met.\n";
    let got: Vec<(u32, String)> = extract(text, "2016")
        .into_iter()
        .filter(|c| matches!(&c.fact, Fact::Entity { id, .. } if id == "harbour_ministry"))
        .map(|c| (c.paragraph, c.text))
        .collect();
    let expected: Vec<(u32, String)> =
        vec![(1, "Ministry of Harbours".into()), (2, "ministry".into()), (3, "Ministry of Harbours".into())];
    assert_eq!(got, expected);
}

fn describe(c: &crate::Candidate) -> String {
    match &c.fact {
        Fact::Source { .. } => "source".to_owned(),
        Fact::Entity { id, .. } => format!("entity {id}"),
        Fact::NewEntity { entity_kind, category, label, .. } => format!("new_entity {entity_kind} {category} {label}"),
        Fact::Figure { subject, measure, value_text, unit, comparator, dates, .. } => format!(
            "figure {} {} {value_text} {unit} {}{}",
            subject.as_deref().unwrap_or("?"),
            measure.as_deref().unwrap_or("?"),
            comparator.unwrap_or("-"),
            dates.date.as_ref().map(|d| format!(" date={d}")).unwrap_or_default()
        ),
        Fact::Date { date, relative } => format!("date {date} {}", if *relative { "relative" } else { "absolute" }),
        Fact::Relation { subject, predicate, object, role, .. } => {
            format!("relation {subject} {predicate} {object} {}", role.unwrap_or("-"))
        }
    }
}

#[test]
fn table_of_sentences_gives_the_expected_candidates() {
    for (text, date, expected) in TABLE {
        let got: Vec<String> = extract(text, date).iter().skip(1).map(describe).collect();
        if text.contains("129个") {
            assert!(!got.iter().any(|g| g.starts_with("new_entity")), "{text}: {got:#?}");
        }
        for e in *expected {
            assert!(got.iter().any(|g| g.starts_with(e)), "{text}: expected {e:?} in {got:#?}");
        }
    }
}

#[test]
fn spans_fall_on_characters_and_match_the_text() {
    let text = "China's ＳＣＯ partners; 中國與上合組織在聯合國框架內合作，追回95.1億元。\n\"Harbour Watch\" began in October 2014 with 12 people.\n";
    let paragraphs: Vec<Vec<char>> = text.lines().map(|l| l.chars().collect()).collect();
    let all = extract(text, "2016");
    assert!(all.len() > 8, "{all:#?}");
    for c in &all {
        let p = &paragraphs[(c.paragraph - 1) as usize];
        assert!(c.span.0 <= c.span.1 && c.span.1 <= p.len(), "{c:?}");
        let slice: String = p[c.span.0..c.span.1].iter().collect();
        assert_eq!(slice, c.text, "{c:?}");
    }
}

#[test]
fn injected_tokens_and_boilerplate_never_become_entities() {
    let text = "好运彩票app's harbour policy\n好运彩票app signed the Harbour Treaty with Chile. 好运彩票app hosted talks.\n分享到:\n";
    let all = extract(text, "2016");
    let Fact::Source { injected, defects, .. } = &all[0].fact else { panic!() };
    assert_eq!(injected[0].token, "好运彩票app");
    assert!(defects.iter().any(|d| d.paragraph == 3));
    for c in &all {
        assert!(!c.text.contains("好运"), "{c:?}");
        assert_ne!(c.paragraph, 3, "{c:?}");
    }
}

/// A token the curator reads as an entity stands for it inside the names
/// around it too.
#[test]
fn names_around_a_token_read_as_an_entity_carry_its_label() {
    let text = "好运彩票app's harbour policy\n好运彩票app signed the Harbour Treaty with Chile. 好运彩票app hosted the Third 好运彩票app-Chile Harbour Exercise.\n";
    let data = dataset();
    let options = ExtractOptions {
        source: "900".into(),
        date: Some("2016".parse().unwrap()),
        read_as: vec![("好运彩票app".into(), "china".into())],
    };
    let got: Vec<String> = Extractor::new(&data).extract(text, &options).candidates.iter().map(describe).collect();
    assert!(got.iter().any(|g| g == "new_entity operation exercise Third China-Chile Harbour Exercise"), "{got:#?}");
    assert!(
        got.iter().any(|g| g.starts_with("relation china participated_in third_china_chile_harbour_exercise ")),
        "{got:#?}"
    );
}

#[test]
fn the_same_input_gives_the_same_candidates() {
    let text = "China hosted the Harbour Police Forum. 中国参加了港口守望行动。\n";
    assert_eq!(extract(text, "2016"), extract(text, "2016"));
}

#[test]
fn facts_already_cited_are_known() {
    let files: Vec<(&str, &str)> = FIXTURE_DATA
        .iter()
        .copied()
        .chain([(
            "relations.toml",
            "[[relation]]\nsubject = \"china\"\npredicate = \"member_of\"\nobject = \"sco\"\nsources = [\"900#1@en\"]\n\n[[source]]\nid = \"900\"\ntitle = \"t\"\nparagraphs = 1\n",
        )])
        .collect();
    let data = load_texts(&files, &LoadOptions::default()).unwrap();
    let options = ExtractOptions { source: "900".into(), date: None, read_as: Vec::new() };
    let all = Extractor::new(&data).extract("China is a member of the SCO.", &options).candidates;
    let rel = all.iter().find(|c| c.fact.kind_name() == "relation").unwrap();
    assert_eq!(rel.status, Status::Known);
    assert_eq!(all[0].status, Status::Known);
}

/// A relation the data holds from another source is proposed again when a
/// paragraph names both its ends, even with no trigger word; never from
/// the only source that states it (that would not be a new document).
#[test]
fn relations_the_data_holds_are_proposed_where_both_ends_are_named() {
    let files: Vec<(&str, &str)> = FIXTURE_DATA
        .iter()
        .copied()
        .chain([(
            "relations.toml",
            "[[relation]]\nsubject = \"chile\"\npredicate = \"member_of\"\nobject = \"sco\"\nrole = \"observer\"\nsources = [\"900#1@en\"]\n\n[[source]]\nid = \"900\"\ntitle = \"t\"\nparagraphs = 1\n",
        )])
        .collect();
    let data = load_texts(&files, &LoadOptions::default()).unwrap();
    let relations = |source: &str, text: &str| -> Vec<(String, &'static str, String, Option<&'static str>, String)> {
        let options = ExtractOptions { source: source.into(), date: None, read_as: Vec::new() };
        Extractor::new(&data)
            .extract(text, &options)
            .candidates
            .into_iter()
            .filter_map(|c| match c.fact {
                Fact::Relation { subject, predicate, object, role, .. } => {
                    Some((subject, predicate, object, role, c.text))
                }
                _ => None,
            })
            .collect()
    };
    type Case<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);
    let cases: &[Case<'_>] = &[
        ("901", "Chile sent a delegation to the SCO summit.", &[("chile", "sco")]),
        ("901", "智利代表团出席了上合组织会议。", &[("chile", "sco")]),
        ("901", "Chile and China met. The SCO was not there.", &[("chile", "sco")]),
        ("901", "China and the SCO met.", &[]),
        ("900", "Chile sent a delegation to the SCO summit.", &[]),
    ];
    for (source, text, expected) in cases {
        let got: Vec<(String, String)> = relations(source, text)
            .into_iter()
            .filter(|r| r.1 == "member_of")
            .map(|r| {
                assert_eq!(r.3, Some("observer"), "{text}");
                (r.0, r.2)
            })
            .collect();
        let expected: Vec<(String, String)> = expected.iter().map(|(s, o)| (s.to_string(), o.to_string())).collect();
        assert_eq!(got, expected, "{source}: {text}");
    }
}

#[test]
fn the_fixture_report_gives_every_kind_of_candidate() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/extract");
    let data = coopgraph_load::load_dir(&root.join("data")).unwrap();
    let text = std::fs::read_to_string(root.join("harbour-report.txt")).unwrap();
    let options =
        ExtractOptions { source: "801".into(), date: Some("2016-11-11".parse().unwrap()), read_as: Vec::new() };
    let ex = Extractor::new(&data).extract(&text, &options);
    if std::env::var_os("COOPGRAPH_SHOW").is_some() {
        print!("{}", crate::draft::json_lines(&ex));
    }
    for kind in ["source", "entity", "new_entity", "figure", "date", "relation"] {
        assert!(ex.candidates.iter().any(|c| c.fact.kind_name() == kind), "no {kind}");
    }
}

#[test]
fn folded_positions_map_every_original_character() {
    let p = &crate::document::paragraphs("ＳＣＯ ﬁnal 聯合國")[0];
    assert_eq!(p.folded_at.len(), p.chars.len() + 1);
    for (i, &f) in p.folded_at.iter().enumerate().take(p.chars.len()) {
        assert_eq!(p.folded.original_span(f..f + 1).map(|r| r.start), Some(i));
    }
    assert_eq!(p.folded_at.last(), Some(&p.folded_chars.len()));
}

/// Prints how long 1 MB of text takes (run with COOPGRAPH_TIME=1 in release).
#[test]
fn a_megabyte_of_text() {
    if std::env::var_os("COOPGRAPH_TIME").is_none() {
        return;
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/extract");
    let data = coopgraph_load::load_dir(&root.join("data")).unwrap();
    let one = std::fs::read_to_string(root.join("harbour-report.txt")).unwrap();
    let mut text = String::new();
    let mut n = 0;
    while text.len() < 1 << 20 {
        for line in one.lines().filter(|l| !l.trim().is_empty()) {
            n += 1;
            text.push_str(&format!("{n}: {line}\n"));
        }
    }
    let options =
        ExtractOptions { source: "801".into(), date: Some("2016-11-11".parse().unwrap()), read_as: Vec::new() };
    let start = std::time::Instant::now();
    let ex = Extractor::new(&data).extract(&text, &options);
    #[allow(clippy::print_stdout)]
    {
        println!("{} bytes, {} candidates, {:?}", text.len(), ex.candidates.len(), start.elapsed());
    }
}
