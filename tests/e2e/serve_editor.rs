//! The query editor at `/sparql` (YASGUI, built into the binary): the page,
//! its files, the bound texts of the bundled queries and errors with their
//! position. Protocol clients see no change.

use crate::serve::{Server, encode, get};

fn post_form(url: &str, accept: &str, query: &str) -> crate::serve::Reply {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    crate::serve::reply(agent.post(url).header("Accept", accept).send_form([("query", query)]).unwrap())
}

fn header_of(url: &str, name: &str) -> String {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let response = agent.get(url).call().unwrap();
    response.headers().get(name).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default()
}

/// Every `src="..."` and `href="..."` of a `<script>` or `<link>`.
fn script_and_link_urls(page: &str) -> Vec<String> {
    let mut urls = Vec::new();
    for tag in page.split('<').filter(|t| t.starts_with("script") || t.starts_with("link")) {
        let tag = tag.split('>').next().unwrap();
        for attribute in ["src=\"", "href=\""] {
            if let Some(rest) = tag.split(attribute).nth(1) {
                urls.push(rest.split('"').next().unwrap().to_owned());
            }
        }
    }
    urls
}

/// The rows of a SPARQL JSON answer, each as its bindings' JSON, sorted
/// (an ASK's answer as one row).
fn rows(body: &[u8]) -> Vec<String> {
    let doc: serde_json::Value = serde_json::from_slice(body).unwrap();
    if let Some(answer) = doc.get("boolean") {
        return vec![answer.to_string()];
    }
    let mut rows: Vec<String> = doc["results"]["bindings"].as_array().unwrap().iter().map(|b| b.to_string()).collect();
    rows.sort();
    rows
}

/// The text of the page's textarea, unescaped.
fn textarea(page: &str) -> String {
    let inner = page.split("<textarea").nth(1).unwrap().split_once('>').unwrap().1;
    let text = inner.split("</textarea>").next().unwrap();
    text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}

#[test]
fn browsers_get_the_editor_with_its_files_from_this_server() {
    let server = Server::start_on(crate::serve::store(), &[]);
    let page = get(&format!("{}/sparql", server.url), "text/html");
    assert_eq!(page.status, 200);
    assert_eq!(page.media_type(), "text/html");
    let html = page.text();
    assert!(html.contains("id=\"yasgui\""), "{html}");
    assert!(html.contains("<form id=\"plain-form\" action=\"/sparql\" method=\"get\">"), "no plain form: {html}");
    assert!(html.contains("<textarea name=\"query\""), "{html}");
    assert!(html.contains("id=\"editor-settings\" type=\"application/json\""), "{html}");
    // Same origin only: every script and style comes from this server.
    let urls = script_and_link_urls(&html);
    assert!(urls.iter().any(|u| u.ends_with("/yasgui.min.js")), "{urls:?}");
    assert!(urls.iter().any(|u| u.ends_with("/yasgui.min.css")), "{urls:?}");
    assert!(urls.iter().any(|u| u.ends_with("/editor.js")), "{urls:?}");
    for url in &urls {
        assert!(url.starts_with('/') && !url.starts_with("//"), "not same-origin: {url}");
    }
    assert!(!html.contains("https://cdn") && !html.contains("unpkg.com") && !html.contains("jsdelivr"), "{html}");
    // The files: status, type, cache headers.
    for url in urls.iter().filter(|u| u.starts_with("/assets/")) {
        let full = format!("{}{url}", server.url);
        let file = get(&full, "*/*");
        assert_eq!(file.status, 200, "{url}");
        let expected = if url.ends_with(".js") { "text/javascript" } else { "text/css" };
        assert_eq!(file.media_type(), expected, "{url}");
        assert!(file.content_type.contains("charset=utf-8"), "{url}: {}", file.content_type);
        assert!(file.body.len() > 100, "{url}");
        let cache = header_of(&full, "cache-control");
        assert!(cache.contains("max-age=31536000") && cache.contains("immutable"), "{url}: {cache}");
    }
    let js = get(&format!("{}/assets/yasgui/4.6.2/yasgui.min.js", server.url), "*/*");
    assert_eq!(js.status, 200);
    assert!(js.text().contains("Yasgui"));
    let license = get(&format!("{}/assets/yasgui/4.6.2/LICENSE", server.url), "*/*");
    assert!(license.text().contains("MIT License"), "{}", license.text());
    // Another version, or a file that is not there: 404.
    assert_eq!(get(&format!("{}/assets/yasgui/0.0.1/yasgui.min.js", server.url), "*/*").status, 404);
    assert_eq!(get(&format!("{}/assets/yasgui/4.6.2/nothing.js", server.url), "*/*").status, 404);
    // The settings name the prefixes and the bundled queries with their parameters.
    let settings = html.split("type=\"application/json\">").nth(1).unwrap().split("</script>").next().unwrap();
    let settings: serde_json::Value = serde_json::from_str(settings).unwrap();
    assert_eq!(settings["prefixes"]["coop"], "https://w3id.org/coopgraph/ontology#");
    assert_eq!(settings["prefixes"]["cg"], "https://w3id.org/coopgraph/");
    let members = settings["queries"].as_array().unwrap().iter().find(|q| q["name"] == "members-of-organization");
    assert_eq!(members.unwrap()["params"][0]["name"], "org");
}

#[test]
fn protocol_clients_see_no_change_at_sparql() {
    let server = Server::start_on(crate::serve::store(), &[]);
    let bare = get(&format!("{}/sparql", server.url), "application/sparql-results+json");
    assert_eq!(bare.status, 400);
    let q = "SELECT ?m WHERE { ?m coop:memberOf cg:sco } ORDER BY ?m";
    let json = get(&format!("{}/sparql?query={}", server.url, encode(q)), "application/sparql-results+json");
    assert_eq!(json.status, 200);
    assert_eq!(json.media_type(), "application/sparql-results+json");
    let bad = get(&format!("{}/sparql?query={}", server.url, encode("SELECT ?x WHERE { ?x")), "*/*");
    assert_eq!(bad.status, 400);
    assert_eq!(bad.media_type(), "text/plain");
    assert!(bad.text().starts_with("query:1:"), "{}", bad.text());
}

#[test]
fn the_bound_text_of_a_bundled_query_is_what_runs() {
    let server = Server::start_on(crate::serve::store(), &[]);
    let text = get(&format!("{}/queries/members-of-organization.rq?org=sco", server.url), "*/*");
    assert_eq!(text.status, 200, "{}", text.text());
    assert_eq!(text.media_type(), "application/sparql-query");
    let text = text.text();
    assert!(text.contains("VALUES (?org) { (cg:sco) }"), "{text}");
    assert!(text.contains("PREFIX coop: <https://w3id.org/coopgraph/ontology#>"), "{text}");
    assert!(text.contains("/queries/members-of-organization?org=sco"), "{text}");
    let accept = "application/sparql-results+json";
    let by_name = get(&format!("{}/queries/members-of-organization?org=sco", server.url), accept);
    let by_text = post_form(&format!("{}/sparql", server.url), accept, &text);
    assert_eq!(by_text.status, 200, "{}", by_text.text());
    assert_eq!(rows(&by_text.body), rows(&by_name.body));
    // Bound to another organization, the text answers for that one.
    let brics_text = get(&format!("{}/queries/members-of-organization.rq?org=brics", server.url), "*/*").text();
    let brics = post_form(&format!("{}/sparql", server.url), accept, &brics_text);
    let brics_by_name = get(&format!("{}/queries/members-of-organization?org=brics", server.url), accept);
    assert_eq!(rows(&brics.body), rows(&brics_by_name.body));
    assert!(!rows(&by_name.body).is_empty());
    assert_ne!(rows(&brics.body), rows(&by_name.body), "the bound text is bound");
    // A browser's page of the results shows the text as bound: running it
    // gives the same rows.
    let page = get(&format!("{}/queries/members-of-organization?org=sco", server.url), "text/html");
    assert_eq!(page.status, 200);
    let shown = textarea(&page.text());
    assert!(shown.contains("(cg:sco)"), "{shown}");
    assert_eq!(rows(&post_form(&format!("{}/sparql", server.url), accept, &shown).body), rows(&by_name.body));
    // The editor opens on it too.
    let editor = get(&format!("{}/sparql?example=members-of-organization&org=sco", server.url), "text/html");
    assert_eq!(editor.status, 200);
    assert!(textarea(&editor.text()).contains("(cg:sco)"));
    // The list of bundled queries sends "edit" to the editor.
    let list = get(&format!("{}/queries", server.url), "text/html").text();
    assert!(list.contains("href=\"/sparql?example=members-of-organization\""), "{list}");
    // Unknown names and parameters.
    assert_eq!(get(&format!("{}/queries/nothing.rq", server.url), "*/*").status, 404);
    let wrong = get(&format!("{}/queries/members-of-organization.rq?nope=1", server.url), "*/*");
    assert_eq!(wrong.status, 400);
    assert!(wrong.text().contains("no parameter \"nope\""), "{}", wrong.text());
}

#[test]
fn every_bundled_query_s_bound_text_answers_as_the_query_by_name() {
    let server = Server::start_on(crate::serve::store(), &[]);
    let list: serde_json::Value =
        serde_json::from_slice(&get(&format!("{}/queries", server.url), "application/json").body).unwrap();
    let mut differ = Vec::new();
    for q in list.as_array().unwrap() {
        let name = q["name"].as_str().unwrap();
        let text = get(&format!("{}/queries/{name}.rq", server.url), "*/*").text();
        let accept = "application/sparql-results+json, application/n-triples;q=0.9";
        let by_name = get(&format!("{}/queries/{name}", server.url), accept);
        let by_text = post_form(&format!("{}/sparql", server.url), accept, &text);
        assert_eq!(by_text.status, 200, "{name}: {}", by_text.text());
        let same = if by_name.media_type() == "application/sparql-results+json" {
            rows(&by_name.body) == rows(&by_text.body)
        } else {
            let mut a: Vec<String> = by_name.text().lines().map(str::to_owned).collect();
            let mut b: Vec<String> = by_text.text().lines().map(str::to_owned).collect();
            a.sort();
            b.sort();
            a == b
        };
        if !same {
            differ.push(name.to_owned());
        }
    }
    assert!(differ.is_empty(), "bound texts that answer otherwise than /queries/NAME: {differ:?}");
}

#[test]
fn a_query_error_shows_the_query_with_its_position_marked() {
    let server = Server::start_on(crate::serve::store(), &[]);
    let query = "SELECT ?m\nWHERE { ?m coop:memberOf cg:sco\n  FILTR(?m) }";
    let page = get(&format!("{}/sparql?query={}", server.url, encode(query)), "text/html");
    assert_eq!(page.status, 400);
    assert_eq!(page.media_type(), "text/html");
    let html = page.text();
    assert!(html.contains("query:3:"), "{html}");
    let marked = html.split("<span class=\"at-line\">").nth(1).unwrap().split("</span>\n").next().unwrap();
    assert!(marked.contains("<mark class=\"at\">"), "{marked}");
    assert!(marked.contains("FILTR"), "the third line is marked: {marked}");
    // The editor holds the query, to fix it.
    assert_eq!(textarea(&html), query);
    // Programs get the message as before.
    let plain = get(&format!("{}/sparql?query={}", server.url, encode(query)), "application/sparql-results+json");
    assert_eq!(plain.status, 400);
    assert_eq!(plain.media_type(), "text/plain");
    assert!(plain.text().starts_with("query:3:"), "{}", plain.text());
}
