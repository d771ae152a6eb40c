//! `coopgraph serve`'s reconciliation service (`/reconcile`, the W3C
//! Reconciliation Service API 0.2), spoken to as OpenRefine does: the
//! manifest, a batch of queries by form, suggest, preview and data
//! extension, and the answers to malformed requests.

use coopgraph_model::schema::KINDS;
use serde_json::{Value, json};

use crate::serve::{Reply, Server, encode, get, reply};

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).build().into()
}

fn json_of(reply: &Reply) -> Value {
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.media_type(), "application/json");
    serde_json::from_slice(&reply.body).unwrap()
}

/// POSTs `name=value` as a form, as OpenRefine sends queries and extensions.
fn post(url: &str, name: &str, value: &str) -> Reply {
    reply(agent().post(url).send_form([(name, value)]).unwrap())
}

/// The (id, match) of each candidate of one query's answer.
fn candidates(answer: &Value, key: &str) -> Vec<(String, bool)> {
    answer[key]["result"]
        .as_array()
        .unwrap_or_else(|| panic!("no result for {key}: {answer}"))
        .iter()
        .map(|c| (c["id"].as_str().unwrap().to_owned(), c["match"].as_bool().unwrap()))
        .collect()
}

#[test]
fn the_manifest_names_the_spaces_kinds_and_services() {
    let server = Server::start_on(crate::serve::store(), &[]);
    let manifest = json_of(&get(&format!("{}/reconcile", server.url), "application/json"));
    assert!(manifest["versions"].as_array().unwrap().contains(&json!("0.2")));
    assert_eq!(manifest["identifierSpace"], "https://w3id.org/coopgraph/");
    assert_eq!(manifest["schemaSpace"], "https://w3id.org/coopgraph/ontology#");
    assert_eq!(manifest["view"]["url"], format!("{}/page/{{{{id}}}}", server.url));
    let types: Vec<&str> =
        manifest["defaultTypes"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap()).collect();
    let kinds: Vec<&str> = KINDS.iter().map(|k| k.class_name).collect();
    assert_eq!(types, kinds);
    for service in ["entity", "type", "property"] {
        let s = &manifest["suggest"][service];
        assert_eq!(
            format!("{}{}", s["service_url"].as_str().unwrap(), s["service_path"].as_str().unwrap()),
            format!("{}/reconcile/suggest/{service}", server.url)
        );
    }
    // Every URL of the manifest answers.
    let view = manifest["view"]["url"].as_str().unwrap().replace("{{id}}", "sco");
    assert_eq!(get(&view, "text/html").status, 200);
    let preview = manifest["preview"]["url"].as_str().unwrap().replace("{{id}}", "sco");
    assert_eq!(get(&preview, "text/html").status, 200);
    let propose = &manifest["extend"]["propose_properties"];
    let propose = format!(
        "{}{}?type=Country",
        propose["service_url"].as_str().unwrap(),
        propose["service_path"].as_str().unwrap()
    );
    assert_eq!(get(&propose, "application/json").status, 200);

    // In Chinese, by parameter or by Accept-Language.
    let zh = json_of(&get(&format!("{}/reconcile?lang=zh", server.url), "application/json"));
    assert_eq!(zh["defaultTypes"][0]["name"], KINDS[0].label_zh);
    let by_header =
        reply(agent().get(&format!("{}/reconcile", server.url)).header("Accept-Language", "zh-CN").call().unwrap());
    assert_eq!(json_of(&by_header)["defaultTypes"][0]["name"], KINDS[0].label_zh);

    // JSONP for old clients, and CORS for every answer.
    let jsonp = get(&format!("{}/reconcile?callback=jQuery_1", server.url), "*/*");
    assert_eq!(jsonp.media_type(), "application/javascript");
    let text = jsonp.text();
    let inner = text.strip_prefix("jQuery_1(").and_then(|t| t.strip_suffix(");")).unwrap();
    assert_eq!(serde_json::from_str::<Value>(inner).unwrap(), manifest);
    let cors = agent().get(&format!("{}/reconcile", server.url)).header("Origin", "http://example.org").call().unwrap();
    assert_eq!(cors.headers().get("access-control-allow-origin").unwrap(), "*");
}

const BATCH: &str = r#"{
  "q0": {"query": "China", "type": "Country"},
  "q1": {"query": "上海合作組織", "limit": 3},
  "q2": {"query": "Thailand", "type": "Country", "properties": [
          {"pid": "memberOf", "v": "Mekong River Law Enforcement and Security Cooperation Mechanism"},
          {"pid": "label_zh", "v": "泰国"}]},
  "q3": {"query": "Thailand", "type": "Country", "properties": [{"pid": "memberOf", "v": {"id": "sco"}}]},
  "q4": {"type": "Country", "properties": [{"pid": "member_of", "v": {"id": "mekong_mechanism"}}], "limit": 10},
  "q5": {"query": "China", "type": "Treaty", "limit": 5},
  "q6": {"query": "sco"},
  "q7": {"query": "mekong", "limit": 3},
  "q8": {"query": "China", "type": "Treaty", "type_strict": "should", "limit": 20},
  "q9": {"query": "China", "type": ["Country", "Treaty"], "type_strict": "all"}
}"#;

#[test]
fn a_batch_of_queries_with_types_and_properties() {
    let server = Server::start_on(crate::serve::store(), &[]);
    let endpoint = format!("{}/reconcile", server.url);
    let answer = json_of(&post(&endpoint, "queries", BATCH));
    assert_eq!(candidates(&answer, "q0"), vec![("china".to_owned(), true)]);
    // Traditional characters find the simplified label.
    assert_eq!(candidates(&answer, "q1").first(), Some(&("sco".to_owned(), true)));
    assert_eq!(answer["q1"]["result"][0]["name"], "Shanghai Cooperation Organisation");
    assert_eq!(answer["q1"]["result"][0]["type"][0]["id"], "Organization");
    // A membership given by name and a Chinese label agree: a certain match.
    assert_eq!(candidates(&answer, "q2"), vec![("thailand".to_owned(), true)]);
    assert_eq!(answer["q2"]["result"][0]["score"], 100.0);
    // A membership the data does not hold: the same candidate, lower, and no match.
    assert_eq!(candidates(&answer, "q3"), vec![("thailand".to_owned(), false)]);
    assert!(answer["q3"]["result"][0]["score"].as_f64().unwrap() < 50.0);
    // No text: the members of the mechanism.
    let mut members: Vec<String> = candidates(&answer, "q4").into_iter().map(|(id, _)| id).collect();
    members.sort();
    assert_eq!(members, ["china", "laos", "myanmar", "thailand"]);
    // Only treaties, best first.
    let treaties = answer["q5"]["result"].as_array().unwrap();
    assert!((1..=5).contains(&treaties.len()), "{treaties:?}");
    assert!(treaties.iter().all(|c| c["type"][0]["id"] == "Treaty"));
    let scores: Vec<f64> = treaties.iter().map(|c| c["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    // An id, or an alias.
    assert_eq!(candidates(&answer, "q6").first(), Some(&("sco".to_owned(), true)));
    let mekong = candidates(&answer, "q7");
    assert_eq!(mekong.len(), 3);
    assert_eq!(mekong.first(), Some(&("mekong".to_owned(), true)));
    assert!(mekong.iter().skip(1).all(|(_, m)| !m));

    // `should`: other types stay, below their score, and none is a match.
    let should = answer["q8"]["result"].as_array().unwrap();
    let china = should.iter().find(|c| c["id"] == "china").unwrap();
    assert_eq!(china["score"], 80.0);
    assert!(should.iter().any(|c| c["type"][0]["id"] == "Treaty"));
    assert!(should.iter().all(|c| c["match"] == false));
    // `all` of two kinds: no entity is of both.
    assert_eq!(candidates(&answer, "q9"), vec![]);

    // The same batch by GET, and in Chinese.
    let by_get = json_of(&get(&format!("{endpoint}?queries={}", encode(BATCH)), "application/json"));
    assert_eq!(by_get, answer);
    let zh = json_of(&get(&format!("{endpoint}?lang=zh&queries={}", encode(BATCH)), "application/json"));
    assert_eq!(zh["q0"]["result"][0]["name"], "中国");
    assert_eq!(zh["q0"]["result"][0]["description"], "China");
}

#[test]
fn suggest_entities_types_and_properties_by_prefix() {
    let server = Server::start_on(crate::serve::store(), &[]);
    let suggest = |what: &str, query: &str| {
        json_of(&get(&format!("{}/reconcile/suggest/{what}?{query}", server.url), "application/json"))
    };
    let ids = |answer: &Value| -> Vec<String> {
        answer["result"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_owned()).collect()
    };
    let shanghai = suggest("entity", "prefix=shanghai");
    assert_eq!(ids(&shanghai).first().map(String::as_str), Some("sco"));
    assert_eq!(shanghai["result"][0]["notable"][0]["id"], "Organization");
    let first = ids(&suggest("entity", "prefix=china"));
    assert_eq!(first.len(), 10);
    let next = ids(&suggest("entity", "prefix=china&cursor=1"));
    assert_eq!(next.first(), first.get(1));
    let countries = suggest("entity", "prefix=m&type=Country");
    let found = countries["result"].as_array().unwrap();
    assert!(!found.is_empty() && found.iter().all(|r| r["notable"][0]["id"] == "Country"), "{countries}");
    assert_eq!(suggest("entity", "prefix=中国&lang=zh")["result"][0]["name"], "中国");
    // An id finds its entity.
    assert_eq!(
        ids(&suggest("entity", "prefix=mekong_mechanism")).first().map(String::as_str),
        Some("mekong_mechanism")
    );

    assert_eq!(ids(&suggest("type", "prefix=coun")), ["Country"]);
    assert_eq!(ids(&suggest("type", "prefix=条约&lang=zh")), ["Treaty"]);
    assert_eq!(ids(&suggest("type", "prefix=")).len(), KINDS.len());
    let members = ids(&suggest("property", "prefix=member"));
    assert_eq!(members.first().map(String::as_str), Some("memberOf"));
    assert!(ids(&suggest("property", "prefix=label")).contains(&"label_zh".to_owned()));
}

#[test]
fn preview_shows_an_entity_in_both_languages() {
    let server = Server::start_on(crate::serve::store(), &[]);
    let page = get(&format!("{}/reconcile/preview?id=sco", server.url), "text/html");
    assert_eq!(page.status, 200);
    assert_eq!(page.media_type(), "text/html");
    let html = page.text();
    assert!(html.contains("Shanghai Cooperation Organisation") && html.contains("上海合作组织"), "{html}");
    assert!(html.contains(&format!("href=\"{}/page/sco\"", server.url)), "{html}");
    let zh = get(&format!("{}/reconcile/preview?id=sco&lang=zh", server.url), "text/html").text();
    assert!(zh.contains("<html lang=\"zh\">") && zh.contains("组织"), "{zh}");
    assert_eq!(get(&format!("{}/reconcile/preview?id=no_such_entity", server.url), "text/html").status, 404);
    assert_eq!(get(&format!("{}/reconcile/preview", server.url), "text/html").status, 400);
}

#[test]
fn data_extension_fetches_memberships_and_labels() {
    let server = Server::start_on(crate::serve::store(), &[]);
    let proposed =
        json_of(&get(&format!("{}/reconcile/properties?type=Country&limit=50", server.url), "application/json"));
    assert_eq!(proposed["type"], "Country");
    let offered: Vec<&str> =
        proposed["properties"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert!(offered.contains(&"memberOf") && offered.contains(&"label_zh"), "{offered:?}");
    for p in coopgraph_model::schema::RELATION_TYPES {
        let applies = p.allowed.iter().any(|(s, o)| {
            *s == coopgraph_model::schema::EntityKind::Country
                || (p.symmetric && *o == coopgraph_model::schema::EntityKind::Country)
        });
        assert_eq!(offered.contains(&p.property), applies, "{}", p.name);
    }

    let request = r#"{"ids": ["china", "thailand", "no_such_entity"],
        "properties": [{"id": "memberOf"}, {"id": "label_zh"}, {"id": "wikidata"}]}"#;
    let answer = json_of(&post(&format!("{}/reconcile", server.url), "extend", request));
    let meta: Vec<&str> = answer["meta"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap()).collect();
    assert_eq!(meta, ["memberOf", "label_zh", "wikidata"]);
    assert_eq!(answer["meta"][0]["type"]["id"], "Organization");
    let thailand: Vec<&str> =
        answer["rows"]["thailand"]["memberOf"].as_array().unwrap().iter().map(|v| v["id"].as_str().unwrap()).collect();
    assert_eq!(thailand, ["mekong_mechanism"]);
    assert_eq!(
        answer["rows"]["thailand"]["memberOf"][0]["name"],
        "Mekong River Law Enforcement and Security Cooperation Mechanism"
    );
    assert_eq!(answer["rows"]["thailand"]["label_zh"], json!([{"str": "泰国"}]));
    assert_eq!(answer["rows"]["china"]["wikidata"], json!([{"str": "Q148"}]));
    let china = answer["rows"]["china"]["memberOf"].as_array().unwrap();
    assert!(
        china.len() > 3 && china.contains(&json!({"id": "sco", "name": "Shanghai Cooperation Organisation"})),
        "{china:?}"
    );
    assert_eq!(answer["rows"]["no_such_entity"]["memberOf"], json!([]));

    // A limit per entity, and names in Chinese.
    let one = r#"{"ids": ["china"], "properties": [{"id": "memberOf", "settings": {"limit": "2"}}]}"#;
    let answer = json_of(&get(&format!("{}/reconcile?lang=zh&extend={}", server.url, encode(one)), "application/json"));
    let values = answer["rows"]["china"]["memberOf"].as_array().unwrap();
    assert_eq!(values.len(), 2);
    assert!(
        values.iter().all(|v| v["name"].as_str().unwrap().chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))),
        "{values:?}"
    );
}

#[test]
fn malformed_requests_answer_400_with_what_was_expected() {
    let server = Server::start_on(crate::serve::store(), &[]);
    let endpoint = format!("{}/reconcile", server.url);
    for (name, value, expected) in [
        ("queries", "{not json", "queries: not JSON"),
        ("queries", "[1, 2]", "expected a JSON object of queries by key"),
        ("queries", r#"{"q0": "China"}"#, "queries[\"q0\"]: expected an object"),
        ("queries", r#"{"q0": {"query": "China", "type": "Person"}}"#, "unknown type \"Person\""),
        ("queries", r#"{"q0": {"query": "China", "limit": -3}}"#, "expected a whole number from 1"),
        ("queries", r#"{"q0": {"query": "China", "properties": [{"pid": "colour", "v": "red"}]}}"#, "unknown property"),
        ("queries", r#"{"q0": {}}"#, "expected a non-empty \"query\" or at least one property"),
        ("extend", r#"{"ids": "china"}"#, "extend.ids: expected an array"),
        ("extend", r#"{"ids": ["china"], "properties": [{"id": "colour"}]}"#, "unknown property"),
    ] {
        let answer = post(&endpoint, name, value);
        assert_eq!(answer.status, 400, "{value}: {}", answer.text());
        assert!(answer.text().contains(expected), "{value}: {}", answer.text());
    }
    for (path, status, expected) in [
        ("/reconcile?lang=fr", 400, "lang=\"fr\": expected en or zh"),
        ("/reconcile?callback=alert(1)", 400, "expected a JavaScript name"),
        ("/reconcile/suggest/entity?prefix=a&cursor=-1", 400, "cursor=\"-1\": expected a whole number"),
        ("/reconcile/suggest/entity?prefix=a&type=Person", 400, "unknown type"),
        ("/reconcile/suggest/colour?prefix=a", 404, "expected entity, type or property"),
        ("/reconcile/properties", 400, "type: expected a type id"),
        ("/reconcile/properties?type=Country&limit=x", 400, "limit=\"x\""),
    ] {
        let answer = get(&format!("{}{path}", server.url), "application/json");
        assert_eq!(answer.status, status, "{path}: {}", answer.text());
        assert!(answer.text().contains(expected), "{path}: {}", answer.text());
    }
    let wrong_type = reply(
        agent().post(&endpoint).header("Content-Type", "application/json").send(r#"{"q0":{"query":"x"}}"#).unwrap(),
    );
    assert_eq!(wrong_type.status, 415, "{}", wrong_type.text());
    assert!(wrong_type.text().contains("expected application/x-www-form-urlencoded"));
}

#[test]
fn a_hub_is_read_a_limit_at_a_time() {
    // A country member of 320 organizations, imported as a large store would be.
    let (_dir, store) = crate::serve_scale::hub_store(320);
    let server = Server::start_on(&store, &[]);
    let endpoint = format!("{}/reconcile", server.url);
    let extend = |settings: &str| {
        let request = format!(r#"{{"ids": ["country-hub"], "properties": [{{"id": "memberOf"{settings}}}]}}"#);
        json_of(&post(&endpoint, "extend", &request))["rows"]["country-hub"]["memberOf"].as_array().unwrap().len()
    };
    assert_eq!(extend(""), 50);
    assert_eq!(extend(r#", "settings": {"limit": 7}"#), 7);
    assert_eq!(extend(r#", "settings": {"limit": 10000}"#), 320);

    let batch = r#"{"q0": {"query": "Org 0123", "type": "Organization"},
                    "q1": {"query": "Hubland", "type": "Country", "properties": [{"pid": "memberOf", "v": "organization-0007"}]},
                    "q2": {"query": "Org", "type": "Organization", "limit": 4},
                    "q3": {"properties": [{"pid": "memberOf", "v": {"id": "organization-0300"}}]}}"#;
    let answer = json_of(&post(&endpoint, "queries", batch));
    assert_eq!(candidates(&answer, "q0").first(), Some(&("organization-0123".to_owned(), true)));
    assert_eq!(candidates(&answer, "q1"), vec![("country-hub".to_owned(), true)]);
    assert_eq!(candidates(&answer, "q2").len(), 4);
    assert_eq!(candidates(&answer, "q3"), vec![("country-hub".to_owned(), true)]);

    // Suggestions page through the 320 namesakes.
    let page = |cursor: usize| -> Vec<String> {
        let url = format!("{endpoint}/suggest/entity?prefix=org&cursor={cursor}");
        json_of(&get(&url, "application/json"))["result"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let (first, second) = (page(0), page(10));
    assert_eq!(first.len(), 10);
    assert_eq!(second.len(), 10);
    assert!(first.iter().all(|id| !second.contains(id)), "{first:?} {second:?}");
    assert!(page(320).is_empty());
}
