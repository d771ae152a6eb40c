//! The graph explorer of `coopgraph serve`: `/explore`, its files, and the
//! bounded JSON of one entity's neighbours it expands nodes with.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::serve::{Server, get};
use crate::serve_scale::{MEMBERSHIPS, hub_store};

fn json(url: &str) -> Value {
    let reply = get(url, "application/json");
    assert_eq!(reply.status, 200, "{url}: {}", reply.text());
    assert_eq!(reply.media_type(), "application/json", "{url}");
    serde_json::from_slice(&reply.body).unwrap()
}

fn ids(answer: &Value, key: &str) -> Vec<String> {
    answer[key].as_array().unwrap().iter().map(|n| n["id"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn a_hub_s_neighbours_come_a_bounded_page_at_a_time_in_a_stable_order() {
    let (_dir, store) = hub_store(MEMBERSHIPS);
    let server = Server::start_on(&store, &[]);
    let first_url = format!("{}/explore/neighbours/country-hub.json?limit=50", server.url);
    let first = json(&first_url);
    // The counts of every link, by type and direction; this page's 50.
    assert_eq!(first["total"], MEMBERSHIPS + 1);
    assert_eq!(first["links"], 50);
    assert_eq!(first["left_out"], MEMBERSHIPS + 1 - 50);
    assert_eq!(first["next"], "/explore/neighbours/country-hub.json?offset=50&limit=50");
    let counts: Vec<(String, String, u64)> = first["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["relation"].as_str().unwrap().into(),
                c["direction"].as_str().unwrap().into(),
                c["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        counts,
        [("member_of".into(), "out".into(), MEMBERSHIPS as u64), ("participated_in".into(), "out".into(), 1)]
    );
    assert_eq!(first["nodes"].as_array().unwrap().len(), 50);
    assert_eq!(first["edges"].as_array().unwrap().len(), 50, "one statement per membership");
    // The focus with its labels and degree; each neighbour with its own.
    assert_eq!(first["focus"]["id"], "country-hub");
    assert_eq!(first["focus"]["kind"], "country", "kinds by name, as /search.json gives them");
    assert_eq!(first["focus"]["labels"]["zh"], "枢纽国");
    assert_eq!(first["focus"]["degree"], MEMBERSHIPS + 1);
    let org = &first["nodes"][0];
    assert_eq!((org["kind"].as_str(), org["degree"].as_u64()), (Some("organization"), Some(1)));
    assert!(org["labels"]["en"].as_str().unwrap().starts_with("Org "), "{org}");
    // Each edge: its statement, relation type, source document and citation.
    let edge = &first["edges"][0];
    assert_eq!(edge["relation"], "member_of");
    assert_eq!(edge["source"], "country-hub");
    assert!(edge["statement"].as_str().unwrap().contains("/statement/country-hub.member_of."), "{edge}");
    assert_eq!(edge["documents"], serde_json::json!(["doc-001"]));
    let cite = &edge["citations"][0];
    assert_eq!(cite["source"], "doc-001");
    assert!(cite["href"].as_str().unwrap().starts_with("/page/source/doc-001#p"), "{cite}");
    // The same request gives the same answer.
    assert_eq!(json(&first_url), first, "the order is stable");
    // Walking `next` visits every neighbour once, each page bounded.
    let mut seen: Vec<String> = Vec::new();
    let mut next = Some(first_url.clone());
    let mut pages = 0;
    while let Some(url) = next {
        let page = json(&url);
        assert!(page["links"].as_u64().unwrap() <= 50);
        assert!(page["nodes"].as_array().unwrap().len() <= 50);
        seen.extend(ids(&page, "nodes"));
        next = page["next"].as_str().map(|n| format!("{}{n}", server.url));
        if next.is_none() {
            assert_eq!(page["left_out"], 0);
        }
        pages += 1;
    }
    assert_eq!(pages, (MEMBERSHIPS + 1).div_ceil(50));
    let distinct: BTreeSet<&String> = seen.iter().collect();
    assert_eq!((seen.len(), distinct.len()), (MEMBERSHIPS + 1, MEMBERSHIPS + 1), "no neighbour twice, none missing");
    assert_eq!(seen.last().map(String::as_str), Some("operation-one"), "relation types in the schema's order");
    // Past the end: an empty page that still counts.
    let past = json(&format!("{}/explore/neighbours/country-hub.json?offset=5000", server.url));
    assert_eq!(
        (past["links"].as_u64(), past["left_out"].as_u64(), past["total"].as_u64()),
        (Some(0), Some(0), Some(321))
    );
    // One relation type, one direction.
    let ops = json(&format!("{}/explore/neighbours/country-hub.json?relation=participated_in", server.url));
    assert_eq!((ops["total"].as_u64(), ids(&ops, "nodes")), (Some(1), vec!["operation-one".to_owned()]));
    assert_eq!(ops["left_out"], 0);
    assert!(ops["next"].is_null());
    let incoming = json(&format!("{}/explore/neighbours/country-hub.json?direction=in", server.url));
    assert_eq!(incoming["total"], 0);
    // From the other end, the hub is a neighbour whose degree is known.
    let member = json(&format!("{}/explore/neighbours/organization-0007.json", server.url));
    assert_eq!(member["counts"][0]["direction"], "in");
    assert_eq!(member["nodes"][0]["id"], "country-hub");
    assert_eq!(member["nodes"][0]["degree"], MEMBERSHIPS + 1);
    // A small page of a hub: the answer stays small.
    let one = get(&format!("{}/explore/neighbours/country-hub.json?limit=1", server.url), "application/json");
    assert!(one.body.len() < 4000, "{} bytes for one link", one.body.len());
}

#[test]
fn bad_parameters_answer_400_with_what_was_expected() {
    let (_dir, store) = hub_store(3);
    let server = Server::start_on(&store, &[]);
    let base = format!("{}/explore/neighbours/country-hub.json", server.url);
    for (query, expected) in [
        ("limit=0", "limit=\"0\": expected a whole number from 1 to 200"),
        ("limit=201", "limit=\"201\": expected a whole number from 1 to 200"),
        ("limit=ten", "expected a whole number from 1 to 200"),
        ("offset=-3", "offset=\"-3\": expected a whole number from 0"),
        ("relation=friend_of", "relation=\"friend_of\": expected one of "),
        ("direction=up", "direction=\"up\": expected out, in or both"),
        ("depth=2", "unknown parameter \"depth\": expected offset, limit, relation or direction"),
    ] {
        let reply = get(&format!("{base}?{query}"), "application/json");
        assert_eq!(reply.status, 400, "{query}: {}", reply.text());
        assert!(reply.text().contains(expected), "{query}: {}", reply.text());
    }
    let unknown = get(&format!("{}/explore/neighbours/atlantis.json", server.url), "application/json");
    assert_eq!(unknown.status, 404, "{}", unknown.text());
    assert!(unknown.text().contains("no entity of the dataset has the id \"atlantis\""), "{}", unknown.text());
    let bad = get(&format!("{}/explore/neighbours/Not%20An%20Id.json", server.url), "application/json");
    assert_eq!(bad.status, 400, "{}", bad.text());
    assert!(bad.text().contains("is not an entity id"), "{}", bad.text());
    let no_json = get(&format!("{}/explore/neighbours/country-hub", server.url), "application/json");
    assert_eq!(no_json.status, 404, "{}", no_json.text());
    let focus = get(&format!("{}/explore?focus=Not%20An%20Id", server.url), "text/html");
    assert_eq!(focus.status, 400);
    assert!(focus.text().contains("focus=&quot;Not An Id&quot;: expected an entity id"), "{}", focus.text());
}

#[test]
fn the_explorer_page_brings_its_files_and_the_palette_and_speaks_both_languages() {
    let server = Server::start_on(crate::serve::store(), &[]);
    let page = get(&format!("{}/explore?focus=china", server.url), "text/html");
    assert_eq!(page.status, 200);
    let text = page.text();
    assert!(text.contains("<h1>Graph explorer</h1>"), "{text}");
    let settings = text.split("<script id=\"explorer-settings\" type=\"application/json\">").nth(1).unwrap();
    let settings: Value = serde_json::from_str(settings.split("</script>").next().unwrap()).unwrap();
    assert_eq!(settings["focus"], "china");
    assert_eq!(settings["kinds"].as_array().unwrap().len(), coopgraph_model::schema::KINDS.len());
    let country = settings["kinds"].as_array().unwrap().iter().find(|k| k["name"] == "country").unwrap();
    assert_eq!(country["fill"], coopgraph_views::palette::kind_style(coopgraph_model::EntityKind::Country).fill);
    assert_eq!(settings["relations"].as_array().unwrap().len(), coopgraph_model::schema::RELATION_TYPES.len());
    // Every script and style comes from this server, versioned and immutable.
    let mut files = 0;
    for piece in text.split(" src=\"").skip(1).chain(text.split("rel=\"stylesheet\" href=\"").skip(1)) {
        let path = piece.split('"').next().unwrap();
        let file = get(&format!("{}{path}", server.url), "*/*");
        assert_eq!(file.status, 200, "{path}");
        assert!(file.content_type.starts_with("text/"), "{path}: {}", file.content_type);
        files += 1;
    }
    assert_eq!(files, 3, "cytoscape, explorer.js and explorer.css");
    // In Chinese: the interface's words, and the settings' too.
    let zh = get(&format!("{}/explore?focus=china&lang=zh", server.url), "text/html").text();
    assert!(zh.contains("<html lang=\"zh\">") && zh.contains("<h1>关系图浏览</h1>"), "{zh}");
    assert!(zh.contains("\"search\":\"从实体开始\""), "{zh}");
    // Every entity page opens the explorer on itself.
    let china = get(&format!("{}/page/china", server.url), "text/html").text();
    assert!(china.contains("href=\"/explore?focus=china\""), "{china}");
    // ... and embeds it: a frame of the explorer in its compact form, whose
    // links open in the page around it.
    assert!(china.contains("<iframe class=\"explore-embed\" src=\"/explore?focus=china&amp;embed=1\""), "{china}");
    let embedded = get(&format!("{}/explore?focus=china&embed=1", server.url), "text/html");
    assert_eq!(embedded.status, 200);
    let embedded = embedded.text();
    assert!(
        embedded.contains("<base target=\"_top\">") && embedded.contains("id=\"explorer\" class=\"embedded\""),
        "{embedded}"
    );
    assert!(!embedded.contains("<h1>"), "{embedded}");
    assert_eq!(get(&format!("{}/explore?focus=china&embed=yes", server.url), "text/html").status, 400);
    // The curated data: dated statements carry their dates and xsd:date bounds.
    let answer = json(&format!("{}/explore/neighbours/china.json?limit=200", server.url));
    let edges = answer["edges"].as_array().unwrap();
    let dated = edges.iter().find(|e| e["earliest"].is_string()).expect("a dated statement of China");
    let earliest = dated["earliest"].as_str().unwrap();
    assert_eq!(earliest.len(), 10, "an xsd:date: {dated}");
    assert!(!dated["dates"].as_object().unwrap().is_empty(), "{dated}");
    assert!(edges.iter().all(|e| !e["documents"].as_array().unwrap().is_empty() || e["statement"].is_null()));
}
