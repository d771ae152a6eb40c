//! The import against the curated loader on mutated tables, and the
//! chunked reader against a one-shot read at every block size.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

use coopgraph_import::{Import, ImportOptions, Tables};
use coopgraph_load::{Diagnostics, LoadOptions, load_texts};
use coopgraph_rdf::Namespaces;

const ENTITIES: &str = "id,type,label_en,label_zh,wikidata\n\
kalostan,country,Kalostan,卡奥斯坦,Q1\n\
ulennia,Country,\"Ulennia, \"\"Republic\"\" of\",,\n\
org-one,organization,\"Org\nOne\",组织,\r\n\
treaty-one,treaty,Treaty One,,Q2\n";
const RELATIONS: &str = "subject,predicate,object,source\n\
kalostan,member_of,org-one,doc-001\n\
kalostan,party_to,treaty-one,doc-002#3@en\n\
\"ulennia\",member_of,org-one,doc-001#1\n";

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Bytes that matter to a CSV reader and to the row rules.
const PIECES: &[&str] = &[
    "\"",
    ",",
    "\n",
    "\r",
    "\r\n",
    " ",
    "a",
    "-",
    "#",
    "@",
    "0",
    "Q",
    "\u{feff}",
    "\u{1b}",
    "中",
    "page",
    "member_of",
];

fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for _ in 0..=rng.below(3) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(5) {
            0 if at < bytes.len() => {
                bytes.remove(at);
            }
            1 => {
                let piece = PIECES[rng.below(PIECES.len())];
                bytes.splice(at..at, piece.bytes());
            }
            2 if !bytes.is_empty() => {
                // Repeat a line.
                let lines: Vec<&[u8]> = bytes.split_inclusive(|&b| b == b'\n').collect();
                let line = lines[rng.below(lines.len())].to_vec();
                let end = bytes.len();
                bytes.splice(end..end, line);
            }
            3 => bytes.truncate(at),
            _ if at < bytes.len() => bytes[at] = PIECES[rng.below(PIECES.len())].as_bytes()[0],
            _ => {}
        }
    }
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn ns() -> Namespaces {
    Namespaces::new("https://example.org/kg/", "https://example.org/kg/ontology#").unwrap()
}

/// The import's N-Quads and error lines.
fn import(entities: &str, relations: &str, options: ImportOptions) -> (String, Vec<String>, usize) {
    let import = Import::new(&ns(), ImportOptions { lines: Some(true), max_errors: 10_000, ..options });
    let mut d = Diagnostics::with_cap(10_000);
    let mut out = Vec::new();
    import
        .run(&Tables::bytes(entities.as_bytes(), relations.as_bytes()), &mut d, &mut |_, _| {}, &mut |sinks| {
            if let Some(l) = &sinks.lines {
                out.extend_from_slice(l.as_bytes());
            }
            Ok(())
        })
        .unwrap();
    (String::from_utf8(out).unwrap(), d.iter().map(ToString::to_string).collect(), d.total())
}

fn sorted(mut lines: Vec<String>) -> Vec<String> {
    lines.sort();
    lines
}

#[test]
fn the_base_tables_pass_both_readers() {
    let curated = load_texts(&[("entities.csv", ENTITIES), ("relations.csv", RELATIONS)], &LoadOptions::default());
    assert!(curated.is_ok(), "{}", curated.err().unwrap());
    let (_, errors, _) = import(ENTITIES, RELATIONS, ImportOptions::default());
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn mutated_tables_get_the_same_verdict_and_errors_from_both_readers() {
    let mut rng = Rng(42);
    let mut refused = 0;
    for n in 0..4000 {
        let (mut entities, mut relations) = (ENTITIES.to_owned(), RELATIONS.to_owned());
        match n % 3 {
            0 => entities = mutate(&entities, &mut rng),
            1 => relations = mutate(&relations, &mut rng),
            _ => {
                entities = mutate(&entities, &mut rng);
                relations = mutate(&relations, &mut rng);
            }
        }
        let options = LoadOptions { max_errors: 10_000 };
        let curated = load_texts(&[("entities.csv", &entities), ("relations.csv", &relations)], &options)
            .err()
            .map_or_else(Vec::new, |d| d.iter().map(ToString::to_string).collect());
        let (_, streamed, _) = import(&entities, &relations, ImportOptions::default());
        assert_eq!(
            sorted(curated.clone()),
            sorted(streamed),
            "mutation {n}:\n--- entities.csv\n{entities:?}\n--- relations.csv\n{relations:?}"
        );
        refused += usize::from(!curated.is_empty());
    }
    // The mutations reach the rules, not only the happy path.
    assert!(refused > 1000, "{refused} of 4000 refused");
}

#[test]
fn every_block_size_reads_what_one_block_reads() {
    let mut rng = Rng(7);
    let mut inputs = vec![(ENTITIES.to_owned(), RELATIONS.to_owned())];
    for _ in 0..12 {
        inputs.push((mutate(ENTITIES, &mut rng), mutate(RELATIONS, &mut rng)));
    }
    for (entities, relations) in &inputs {
        let whole = entities.len().max(relations.len()).max(1);
        for (provenance, threads) in [(true, 1), (false, 2)] {
            let options = ImportOptions { provenance, threads, block_bytes: whole, ..ImportOptions::default() };
            let once = import(entities, relations, options);
            for size in 1..=whole {
                let mut blocks = import(entities, relations, ImportOptions { block_bytes: size, ..options });
                if !once.1.is_empty() {
                    // Output stops at the first error, wherever its block
                    // ends; the caller throws away what was written.
                    blocks.0.clone_from(&once.0);
                }
                assert_eq!(
                    blocks, once,
                    "blocks of {size} bytes, provenance {provenance}:\n{entities:?}\n{relations:?}"
                );
            }
        }
    }
}
