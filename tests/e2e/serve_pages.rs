//! `coopgraph serve` for search engines and linked-data tools: schema.org
//! JSON-LD and alternate links on entity pages, robots.txt and sitemaps,
//! the readable ontology page that every `coop:` link resolves to, class
//! pages, citation anchors and the English/Chinese interface.

use std::collections::BTreeSet;

use crate::serve::{Reply, Server, get};

fn get_with(url: &str, headers: &[(&str, &str)]) -> Reply {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).max_redirects(0).build().into();
    let mut request = agent.get(url);
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    crate::serve::reply(request.call().unwrap())
}

/// Every `href="PREFIX..."` value in `html`.
fn hrefs<'a>(html: &'a str, prefix: &str) -> Vec<&'a str> {
    let needle = format!("href=\"{prefix}");
    html.match_indices(&needle).filter_map(|(i, _)| html.get(i + 6..).and_then(|rest| rest.split('"').next())).collect()
}

/// The text between `<script type="application/ld+json">` and `</script>`.
fn json_ld(html: &str) -> serde_json::Value {
    let start = html.find("<script type=\"application/ld+json\">").expect("no JSON-LD") + 35;
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

/// Each `<loc>` of a sitemap or sitemap index.
fn locs(xml: &str) -> Vec<String> {
    xml.split("<loc>").skip(1).map(|s| s.split("</loc>").next().unwrap().replace("&amp;", "&")).collect()
}

/// The entities of the curated store (every instance of a kind), by SPARQL.
fn entities(server: &Server) -> BTreeSet<String> {
    let query = "SELECT ?e WHERE { VALUES ?k { coop:Country coop:Organization coop:Operation coop:Treaty coop:Place coop:Incident coop:Group } ?e a ?k }";
    let answer = get(&format!("{}/sparql?query={}", server.url, crate::serve::encode(query)), "text/csv").text();
    answer.lines().skip(1).map(|l| l.trim().to_owned()).filter(|l| !l.is_empty()).collect()
}

#[test]
fn entity_pages_embed_schema_org_json_ld_and_link_every_data_format() {
    let server = Server::start_on(crate::serve::store(), &[]);
    for (id, schema_type) in [
        ("china", "Country"),
        ("interpol", "Organization"),
        ("mps", "GovernmentOrganization"),
        ("fox_hunt_2015", "Event"),
        ("hague_service_convention", "Legislation"),
    ] {
        let page = get(&format!("{}/page/{id}", server.url), "text/html").text();
        let doc = json_ld(&page);
        assert_eq!(doc["@context"]["@vocab"], "https://schema.org/", "{id}");
        assert_eq!(doc["@type"], schema_type, "{id}");
        assert_eq!(doc["@id"], format!("https://w3id.org/coopgraph/{id}"));
        assert_eq!(doc["identifier"], id);
        let names = doc["name"].as_array().unwrap();
        for lang in ["en", "zh"] {
            assert!(names.iter().any(|n| n["@language"] == lang), "{id} has no {lang} name: {doc}");
        }
        assert!(doc["url"].as_str().unwrap().ends_with(&format!("/page/{id}")));
        for (media_type, ext) in [
            ("text/turtle", "ttl"),
            ("application/ld+json", "jsonld"),
            ("application/n-triples", "nt"),
            ("application/rdf+xml", "rdf"),
        ] {
            let link = format!("<link rel=\"alternate\" type=\"{media_type}\" href=\"/data/{id}.{ext}\"");
            assert!(page.contains(&link), "{id} lacks {link}");
            let document = get(&format!("{}/data/{id}.{ext}", server.url), "*/*");
            assert_eq!((document.status, document.media_type()), (200, media_type), "/data/{id}.{ext}");
        }
    }
    let china = json_ld(&get(&format!("{}/page/china", server.url), "text/html").text());
    assert_eq!(china["sameAs"], "http://www.wikidata.org/entity/Q148");
    let fox_hunt = json_ld(&get(&format!("{}/page/fox_hunt_2015", server.url), "text/html").text());
    assert!(fox_hunt["startDate"].as_str().is_some_and(|d| d.starts_with("2015")), "{fox_hunt}");
}

#[test]
fn the_sitemaps_list_every_entity_page_and_robots_txt_points_at_them() {
    let server = Server::start_on(crate::serve::store(), &[]);
    let robots = get(&format!("{}/robots.txt", server.url), "*/*");
    assert_eq!(robots.media_type(), "text/plain");
    assert!(robots.text().contains(&format!("Sitemap: {}/sitemap.xml", server.url)), "{}", robots.text());
    let index = get(&format!("{}/sitemap.xml", server.url), "*/*");
    assert_eq!(index.media_type(), "application/xml");
    assert!(index.text().contains("<sitemapindex"));
    let mut listed = BTreeSet::new();
    let mut files = 0;
    for sitemap in locs(&index.text()) {
        let path = sitemap.strip_prefix(&server.url).unwrap().to_owned();
        let xml = get(&format!("{}{path}", server.url), "*/*");
        assert_eq!(xml.status, 200, "{path}");
        assert!(xml.text().contains("<urlset"), "{path}");
        files += 1;
        for loc in locs(&xml.text()) {
            assert!(listed.insert(loc.clone()), "{loc} is listed twice");
        }
    }
    assert_eq!(files, 8, "pages.xml and one sitemap per kind");
    let expected: BTreeSet<String> = entities(&server)
        .iter()
        .map(|iri| format!("{}/page/{}", server.url, iri.strip_prefix("https://w3id.org/coopgraph/").unwrap()))
        .collect();
    assert_eq!(expected.len(), 176);
    let pages: BTreeSet<String> =
        listed.iter().filter(|u| !u.contains("/source/") && u.contains("/page/")).cloned().collect();
    assert_eq!(pages, expected, "the sitemaps list exactly the entity pages");
    for url in &listed {
        assert_eq!(get(url, "text/html").status, 200, "{url}");
    }
    assert_eq!(get(&format!("{}/sitemaps/Country-2.xml", server.url), "*/*").status, 404);
}

#[test]
fn every_coop_link_resolves_to_an_anchor_of_the_readable_ontology_page() {
    let server = Server::start_on(crate::serve::store(), &[]);
    let ontology = get(&format!("{}/ontology", server.url), "text/html");
    assert_eq!(ontology.status, 200);
    let ontology = ontology.text();
    assert!(!ontology.contains("_:"), "no blank node is shown as such");
    // Every term of the vocabulary has its section with labels, comment, domain and range.
    let member_of = ontology.split("id=\"memberOf\"").nth(1).unwrap().split("</section>").next().unwrap();
    for needle in
        ["member of", "成员", "Domain", "Range", "href=\"/ontology#Country\"", "href=\"/ontology#Organization\""]
    {
        assert!(member_of.contains(needle), "the memberOf section lacks {needle}: {member_of}");
    }
    let mut pages = vec![ontology.clone()];
    for path in ["/page/china", "/page/source/000", "/page/statement/china.member_of.interpol", "/"] {
        pages.push(get(&format!("{}{path}", server.url), "text/html").text());
    }
    let mut checked = 0;
    for page in &pages {
        assert!(!page.contains("href=\"/page/ontology"), "a link still goes to /page/ontology");
        for link in hrefs(page, "/ontology#") {
            let anchor = link.strip_prefix("/ontology#").unwrap();
            assert!(ontology.contains(&format!("id=\"{anchor}\"")), "{link} has no anchor on the ontology page");
            checked += 1;
        }
    }
    assert!(checked > 20, "{checked} links checked");
    // Each class section links to its class page.
    for link in hrefs(&ontology, "/ontology/") {
        assert_eq!(get(&format!("{}{link}", server.url), "text/html").status, 200, "{link}");
    }
}

#[test]
fn class_pages_list_their_instances_a_page_at_a_time() {
    let server = Server::start_on(crate::serve::store(), &[]);
    let first = get(&format!("{}/ontology/Operation", server.url), "text/html").text();
    assert!(first.contains("(56)"), "56 operations");
    assert!(first.contains("rel=\"next\""));
    let second = get(&format!("{}/ontology/Operation?section=instances&page=2", server.url), "text/html").text();
    assert!(second.contains("rel=\"prev\""));
    let listed: Vec<&str> = hrefs(&first, "/page/").into_iter().chain(hrefs(&second, "/page/")).collect();
    let distinct: BTreeSet<&str> = listed.iter().copied().collect();
    assert_eq!((listed.len(), distinct.len()), (56, 56), "each operation once, over two pages");
    let countries = get(&format!("{}/ontology/Country", server.url), "text/html").text();
    assert_eq!(hrefs(&countries, "/page/").len(), 37);
    assert_eq!(get(&format!("{}/ontology/memberOf", server.url), "text/html").status, 404, "not a class");
    assert_eq!(get(&format!("{}/ontology/Nothing", server.url), "text/html").status, 404);
}

#[test]
fn citations_link_to_the_paragraph_anchor_of_their_source_page() {
    let server = Server::start_on(crate::serve::store(), &[]);
    let china = get(&format!("{}/page/china", server.url), "text/html").text();
    let cites: BTreeSet<&str> = hrefs(&china, "/page/source/").into_iter().collect();
    assert!(cites.iter().all(|c| c.contains('#')), "{cites:?}");
    assert!(cites.contains("/page/source/000#p1-zh"), "{cites:?}");
    let mut checked = 0;
    for cite in cites {
        let (page, anchor) = cite.split_once('#').unwrap();
        let source = get(&format!("{}{page}", server.url), "text/html").text();
        assert!(source.contains(&format!("id=\"{anchor}\"")), "{cite}: no such anchor on the source page");
        checked += 1;
    }
    assert!(checked > 5);
}

#[test]
fn the_interface_speaks_english_or_chinese_by_query_cookie_or_accept_language() {
    let server = Server::start_on(crate::serve::store(), &[]);
    let url = format!("{}/page/china", server.url);
    let english = get_with(&url, &[]);
    assert!(english.text().contains("<html lang=\"en\"") && english.text().contains(">Relations ("));
    assert!(english.text().contains("href=\"/page/china?lang=zh\""), "the switch links to the Chinese page");
    let chinese = get_with(&format!("{url}?lang=zh"), &[]);
    let text = chinese.text();
    assert!(
        text.contains("<html lang=\"zh\"")
            && text.contains("关系")
            && text.contains("<h1><span lang=\"zh\">中国</span>")
    );
    assert!(text.contains("href=\"/page/china?lang=en\""));
    let by_header = get_with(&url, &[("Accept-Language", "zh-CN,zh;q=0.9,en;q=0.5")]).text();
    assert!(by_header.contains("<html lang=\"zh\""));
    let by_cookie = get_with(&format!("{}/ontology", server.url), &[("Cookie", "lang=zh")]).text();
    assert!(by_cookie.contains("<html lang=\"zh\"") && by_cookie.contains("定义域"));
    // The two languages are cached apart.
    assert!(get_with(&url, &[]).text().contains("<html lang=\"en\""));
}
