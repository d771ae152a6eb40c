//! `entities.csv` and `relations.csv`: the loader's reader (the table read
//! whole, for `build` and `validate`) and the import's chunked reader.

use coopgraph_load::stream::{Sources, StreamOptions, TableSource, stream_entities, stream_relations};
use coopgraph_load::{Diagnostics, LoadOptions, load_texts};

/// The form feed that separates the two tables in a fuzz input: the text
/// before it is `entities.csv`, the text after it `relations.csv`.
pub const TABLE_SEPARATOR: u8 = 0x0c;

fn tables(data: &[u8]) -> (&[u8], Option<&[u8]>) {
    match data.iter().position(|&b| b == TABLE_SEPARATOR) {
        Some(at) => (data.get(..at).unwrap_or_default(), data.get(at + 1..)),
        None => (data, None),
    }
}

/// Reads the bytes as a data folder of `entities.csv` and, after a form
/// feed, `relations.csv`, as `build` and `validate` read them.
pub fn csv_data(data: &[u8]) {
    let (entities, relations) = tables(data);
    let Ok(entities) = std::str::from_utf8(entities) else { return };
    let mut files = vec![("data/entities.csv", entities)];
    if let Some(relations) = relations {
        let Ok(relations) = std::str::from_utf8(relations) else { return };
        files.push(("data/relations.csv", relations));
    }
    if let Err(errors) = load_texts(&files, &LoadOptions::default()) {
        crate::assert_positions_inside(&files, &errors);
    }
}

/// Everything a streaming read hands out, owned, to compare two reads.
#[derive(Debug, Default, PartialEq, Eq)]
struct Read {
    entities: Vec<String>,
    relations: Vec<String>,
    errors: Vec<String>,
    total: usize,
    /// Where the last block of each table ended.
    ends: (Option<u64>, Option<u64>),
}

fn stream(entities: &[u8], relations: Option<&[u8]>, options: StreamOptions) -> Read {
    let mut d = Diagnostics::with_cap(options.max_errors);
    let mut read = Read::default();
    let mut progress = Vec::new();
    let mut rows = Vec::new();
    let ids = stream_entities(
        TableSource::Bytes { name: "entities.csv", data: entities },
        options,
        &mut d,
        &mut |at| progress.push(at),
        &Vec::<String>::new,
        &|out: &mut Vec<String>, row| {
            out.push(format!("{}|{}|{}|{}|{:?}", row.id, row.kind, row.label_en, row.label_zh, row.wikidata));
        },
        &mut |part, _| {
            rows.extend(part);
            Ok(())
        },
    );
    assert!(ids.is_ok(), "reading from memory cannot fail: {:?}", ids.as_ref().err());
    read.entities = rows;
    read.ends.0 = progress.last().copied();
    if let (Ok(ids), Some(relations)) = (ids, relations) {
        let mut rows = Vec::new();
        let done = stream_relations(
            TableSource::Bytes { name: "relations.csv", data: relations },
            &ids,
            &Sources::default(),
            options,
            &mut d,
            &mut |at| progress.push(at),
            &Vec::<String>::new,
            &|out: &mut Vec<String>, row| {
                out.push(format!(
                    "{}#{}|{}|{}#{}|{}|{:?}",
                    row.subject,
                    row.subject_index,
                    row.relation_type.name,
                    row.object,
                    row.object_index,
                    row.source,
                    row.citation
                ));
            },
            &mut |part, _| {
                rows.extend(part);
                Ok(())
            },
        );
        assert!(done.is_ok(), "reading from memory cannot fail: {done:?}");
        read.relations = rows;
        read.ends.1 = progress.last().copied();
    }
    read.errors = d.iter().map(ToString::to_string).collect();
    read.total = d.total();
    read
}

/// Reads the bytes as `import` does: the first byte picks a block size
/// (1 to 256 bytes), the rest is `entities.csv` and, after a form feed,
/// `relations.csv`, streamed on two threads in blocks of that size; the
/// rows, errors and their positions must be exactly those of the same
/// tables read in one block on one thread.
pub fn import_chunks(data: &[u8]) {
    let Some((&size, rest)) = data.split_first() else { return };
    let (entities, relations) = tables(rest);
    // A cap no input reaches, so that no error is dropped by one read and
    // kept by the other.
    let max_errors = usize::MAX;
    // One read takes the whole table (a record left open at the end is the
    // one block more that end of file gives).
    let whole_bytes = entities.len().max(relations.map_or(0, <[u8]>::len)).max(1);
    let whole = stream(entities, relations, StreamOptions { threads: 1, max_errors, block_bytes: whole_bytes });
    let blocks =
        stream(entities, relations, StreamOptions { threads: 2, max_errors, block_bytes: usize::from(size) + 1 });
    assert_eq!(whole, blocks, "blocks of {} bytes", usize::from(size) + 1);
}
