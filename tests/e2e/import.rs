use crate::support::{coopgraph_in, fixture};

const KG: [&str; 4] = ["--base", "https://example.org/kg/", "--vocab", "https://example.org/kg/ontology#"];

#[test]
fn import_streams_the_canonical_mapping() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.nt");
    let data = fixture("csv-good");
    let mut args = KG.to_vec();
    args.extend(["import", data.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    let run = coopgraph_in(dir.path(), &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("triples=8\nelapsed_s="), "{}", run.stdout);
    let nt = std::fs::read_to_string(&out).unwrap();
    assert_eq!(
        nt,
        "<https://example.org/kg/country-000001> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://example.org/kg/ontology#Country> .\n\
         <https://example.org/kg/country-000001> <http://www.w3.org/2000/01/rdf-schema#label> \"Kalostan (officially \\\"Kalostan Union\\\")\"@en .\n\
         <https://example.org/kg/country-000001> <http://www.w3.org/2000/01/rdf-schema#label> \"卡奥斯坦\"@zh .\n\
         <https://example.org/kg/country-000001> <http://www.w3.org/2002/07/owl#sameAs> <http://www.wikidata.org/entity/Q1> .\n\
         <https://example.org/kg/organization-000001> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://example.org/kg/ontology#Organization> .\n\
         <https://example.org/kg/organization-000001> <http://www.w3.org/2000/01/rdf-schema#label> \"Org, with comma\"@en .\n\
         <https://example.org/kg/organization-000001> <http://www.w3.org/2000/01/rdf-schema#label> \"组织\"@zh .\n\
         <https://example.org/kg/country-000001> <https://example.org/kg/ontology#memberOf> <https://example.org/kg/organization-000001> .\n"
    );
}

#[test]
fn import_reports_every_bad_row_with_its_position_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.nt");
    let data = fixture("csv-bad");
    let run = coopgraph_in(dir.path(), &["import", data.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    let e = data.join("entities.csv");
    let r = data.join("relations.csv");
    let expected = [
        format!(
            "{}:3:41: error: malformed Wikidata id \"17\": expected Q followed by digits, such as \"Q148\"",
            e.display()
        ),
        format!("{}:2:26: error: unknown entity \"organization-000002\"", r.display()),
        format!(
            "{}:3:1: error: member_of does not link organization \"organization-000001\" to country \"country-000001\"",
            r.display()
        ),
        format!("{}:4:25: error: too few fields: expected 4, found 2", r.display()),
        "4 errors in the data".to_owned(),
    ];
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines, expected, "{}", run.stderr);
    assert!(!out.exists(), "no output after errors");
}
