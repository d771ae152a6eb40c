//! Ranking, folding, paging and odd input.

use super::*;

fn record(id: &str, kind: &str, en: &str, zh: &str, aliases: &[(&str, &str)]) -> Record {
    let mut labels = vec![LangText::new("en", en)];
    if !zh.is_empty() {
        labels.push(LangText::new("zh", zh));
    }
    Record {
        iri: format!("https://example.org/{id}"),
        id: id.to_owned(),
        kind: kind.to_owned(),
        labels,
        aliases: aliases.iter().map(|(lang, text)| LangText::new(lang, text)).collect(),
    }
}

fn sample() -> Vec<Record> {
    vec![
        record("indochina", "treaty", "Indochina Accord", "印度支那协定", &[]),
        record("mekong_china", "operation", "Mekong Patrol of China", "湄公河中国巡逻", &[]),
        record("china", "country", "China", "中国", &[("en", "PRC"), ("zh", "中華人民共和國")]),
        record("chinatown", "operation", "Chinatown Patrol", "唐人街巡逻", &[]),
        record("china_sea", "operation", "China Sea Watch", "中国海监视", &[]),
        record(
            "sco",
            "organization",
            "Shanghai Cooperation Organisation",
            "上海合作组织",
            &[("en", "SCO"), ("zh", "上合组织")],
        ),
        record("un", "organization", "United Nations", "聯合國", &[("en", "UN")]),
        record("unodc", "organization", "United Nations Office on Drugs and Crime", "联合国毒品和犯罪问题办公室", &[]),
        record("mps", "organization", "Ministry of Public Security", "公安部", &[]),
    ]
}

fn ids(page: &SearchPage) -> Vec<(&str, Tier)> {
    page.hits.iter().map(|h| (h.record.id.as_str(), h.tier)).collect()
}

#[test]
fn ranks_exact_then_prefix_then_word_then_substring() {
    let index = SearchIndex::in_ram(sample()).unwrap();
    let page = index.search("china", "en", 0, 10).unwrap();
    assert_eq!(
        ids(&page),
        vec![
            ("china", Tier::Exact),
            ("china_sea", Tier::Prefix),
            ("chinatown", Tier::Prefix),
            ("mekong_china", Tier::Word),
            ("indochina", Tier::Substring),
        ]
    );
    assert_eq!(page.total, 5);
}

#[test]
fn matches_words_in_any_order_and_the_last_word_as_a_prefix() {
    let index = SearchIndex::in_ram(sample()).unwrap();
    assert_eq!(ids(&index.search("security public", "en", 0, 10).unwrap()), vec![("mps", Tier::Word)]);
    assert_eq!(ids(&index.search("public secu", "en", 0, 10).unwrap()), vec![("mps", Tier::Word)]);
    assert_eq!(ids(&index.search("ministry", "en", 0, 10).unwrap()), vec![("mps", Tier::Prefix)]);
    assert_eq!(ids(&index.search("inistry of pub", "en", 0, 10).unwrap()), vec![("mps", Tier::Substring)]);
}

#[test]
fn aliases_match_like_labels() {
    let index = SearchIndex::in_ram(sample()).unwrap();
    assert_eq!(ids(&index.search("SCO", "en", 0, 10).unwrap()), vec![("sco", Tier::Exact)]);
    assert_eq!(ids(&index.search("prc", "en", 0, 10).unwrap()), vec![("china", Tier::Exact)]);
}

#[test]
fn simplified_and_traditional_find_each_other() {
    let index = SearchIndex::in_ram(sample()).unwrap();
    // Indexed in traditional characters, found in simplified and traditional.
    for query in ["联合国", "聯合國"] {
        let page = index.search(query, "zh", 0, 10).unwrap();
        assert_eq!(ids(&page), vec![("un", Tier::Exact), ("unodc", Tier::Prefix)], "{query}");
    }
    // Indexed in simplified characters, found in traditional.
    assert_eq!(ids(&index.search("上海合作組織", "zh", 0, 10).unwrap()), vec![("sco", Tier::Exact)]);
    assert_eq!(ids(&index.search("合作組", "zh", 0, 10).unwrap()), vec![("sco", Tier::Substring)]);
    // A traditional alias, found by its simplified form.
    assert_eq!(ids(&index.search("中华人民共和国", "zh", 0, 10).unwrap()), vec![("china", Tier::Exact)]);
    // Chinese substrings of every length, around the n-gram size.
    for query in ["毒", "毒品", "毒品和", "毒品和犯", "毒品和犯罪问题", "犯罪问题办公室"] {
        assert_eq!(ids(&index.search(query, "zh", 0, 10).unwrap()), vec![("unodc", Tier::Substring)], "{query}");
    }
}

#[test]
fn substrings_do_not_match_across_two_names() {
    let index = SearchIndex::in_ram(sample()).unwrap();
    // "China" and "PRC" are two names of one entity: "na pr" is in neither.
    assert_eq!(index.search("na pr", "en", 0, 10).unwrap(), SearchPage::default());
    assert_eq!(index.search("naprc", "en", 0, 10).unwrap(), SearchPage::default());
}

#[test]
fn width_and_case_fold() {
    let index = SearchIndex::in_ram(sample()).unwrap();
    assert_eq!(ids(&index.search("ＳＣＯ", "en", 0, 10).unwrap()), vec![("sco", Tier::Exact)]);
    assert_eq!(ids(&index.search("  united   NATIONS ", "en", 0, 1).unwrap()), vec![("un", Tier::Exact)]);
}

#[test]
fn ties_follow_the_label_of_the_page_language() {
    let records = vec![
        record("b", "country", "Alpha B", "甲", &[]),
        record("a", "country", "Alpha A", "乙", &[]),
        record("c", "country", "Alpha C", "丙", &[]),
    ];
    let index = SearchIndex::in_ram(records).unwrap();
    let order =
        |lang| index.search("alpha", lang, 0, 10).unwrap().hits.into_iter().map(|h| h.record.id).collect::<Vec<_>>();
    assert_eq!(order("en"), ["a", "b", "c"]);
    // Chinese labels order by code point: 丙 U+4E19 < 乙 U+4E59 < 甲 U+7532.
    assert_eq!(order("zh"), ["c", "a", "b"]);
    assert_eq!(order("fr"), ["a", "b", "c"]);
}

#[test]
fn pages_cover_the_hits_once_with_exact_totals() {
    let mut records: Vec<Record> = (0..23)
        .map(|i| record(&format!("op{i:02}"), "operation", &format!("Operation Alpha {i:02}"), "", &[]))
        .collect();
    records.push(record("alpha", "operation", "Alpha", "", &[]));
    records.push(record("alphabet", "operation", "Alphabet", "", &[]));
    let index = SearchIndex::in_ram(records).unwrap();
    let all = index.search("alpha", "en", 0, 100).unwrap();
    assert_eq!(all.total, 25);
    assert_eq!(all.hits.len(), 25);
    assert_eq!(all.hits.first().map(|h| h.tier), Some(Tier::Exact));
    let mut paged = Vec::new();
    for offset in (0..30).step_by(7) {
        let page = index.search("alpha", "en", offset, 7).unwrap();
        assert_eq!(page.total, 25);
        assert_eq!(page.hits.len(), 7.min(25usize.saturating_sub(offset)));
        paged.extend(page.hits);
    }
    assert_eq!(paged, all.hits);
    let counted = index.search("alpha", "en", 3, 0).unwrap();
    assert_eq!((counted.total, counted.hits.len()), (25, 0));
    assert_eq!(index.search("alpha", "en", 1000, 10).unwrap().hits, vec![]);
}

#[test]
fn odd_queries_answer_without_panic() {
    let index = SearchIndex::in_ram(sample()).unwrap();
    let long = "中".repeat(5000);
    let odd = [
        "",
        " ",
        "\t\n",
        "*",
        "?",
        "\"",
        "\"china",
        "china\"",
        "(",
        ")",
        "[a TO z]",
        "a:b",
        "title:china",
        "+china -un",
        "AND",
        "OR NOT",
        "\\",
        "\\\\",
        "~",
        "china~2",
        "^",
        "*:*",
        "/",
        "{",
        "\u{0}",
        "\u{10FFFF}",
        "\u{FFFD}",
        "é",
        "e\u{301}",
        "🇨🇳",
        "ﬁ",
        "--",
        "...",
        &long,
    ];
    for query in odd {
        for (offset, limit) in [(0, 10), (0, 0), (usize::MAX, 10), (5, usize::MAX)] {
            let page = index.search(query, "en", offset, limit).unwrap();
            assert!(page.hits.len() <= page.total);
        }
    }
    assert_eq!(index.search("", "en", 0, 10).unwrap(), SearchPage::default());
    // Quotes are no syntax: they are punctuation, which words leave out.
    let quoted = index.search("\"china\"", "en", 0, 10).unwrap();
    assert_eq!(quoted.hits.first().map(|h| (h.record.id.as_str(), h.tier)), Some(("china", Tier::Word)));
    assert_eq!(quoted.hits.len(), 4);
}

#[test]
fn an_index_on_disk_reads_back_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("search");
    let built = SearchIndex::build(&path, sample()).unwrap();
    assert_eq!(built.len(), 9);
    let opened = SearchIndex::open(&path).unwrap();
    let memory = SearchIndex::in_ram(sample()).unwrap();
    for query in ["china", "联合国", "a", "o"] {
        let want = memory.search(query, "en", 0, 50).unwrap();
        assert_eq!(opened.search(query, "en", 0, 50).unwrap(), want, "{query}");
    }
    assert_eq!(
        opened.search("sco", "en", 0, 1).unwrap().hits.first().map(|h| h.record.clone()),
        sample().into_iter().find(|r| r.id == "sco")
    );
    // A second build into the same folder is refused rather than mixed in.
    assert!(SearchIndex::build(&path, sample()).is_err());
    assert!(SearchIndex::open(&dir.path().join("missing")).is_err());
}

#[test]
fn an_empty_index_answers_nothing() {
    let index = SearchIndex::in_ram(Vec::new()).unwrap();
    assert!(index.is_empty());
    assert_eq!(index.search("china", "en", 0, 10).unwrap(), SearchPage::default());
}

#[test]
fn a_record_without_labels_sorts_by_its_id() {
    let bare = Record {
        iri: "https://example.org/x".into(),
        id: "x".into(),
        kind: "treaty".into(),
        labels: vec![],
        aliases: vec![LangText::new("en", "Xeno Pact")],
    };
    assert_eq!(bare.label("en"), None);
    let index = SearchIndex::in_ram(vec![bare]).unwrap();
    assert_eq!(ids(&index.search("xeno", "zh", 0, 10).unwrap()), vec![("x", Tier::Prefix)]);
}

#[test]
fn a_search_of_some_kinds_keeps_the_ranking_and_counts_only_them() {
    let index = SearchIndex::in_ram(sample()).unwrap();
    assert!(index.has_kinds());
    let all = index.search("china", "en", 0, 20).unwrap();
    let operations = index.search_kinds("china", "en", &["operation"], 0, 20).unwrap();
    let expected: Vec<(&str, Tier)> =
        ids(&all).into_iter().filter(|(id, _)| ["mekong_china", "chinatown", "china_sea"].contains(id)).collect();
    assert_eq!(ids(&operations), expected);
    assert_eq!(operations.total, 3);
    let two = index.search_kinds("china", "en", &["country", "treaty"], 0, 20).unwrap();
    assert_eq!(ids(&two), vec![("china", Tier::Exact), ("indochina", Tier::Substring)]);
    assert_eq!(index.search_kinds("china", "en", &["place"], 0, 20).unwrap(), SearchPage::default());
    // Paging within the kinds: the second hit alone.
    let second = index.search_kinds("china", "en", &["operation"], 1, 1).unwrap();
    assert_eq!(ids(&second), expected.get(1..2).unwrap().to_vec());
    assert_eq!(second.total, 3);
}
