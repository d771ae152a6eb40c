//! cargo-fuzz target `import_chunks`: see `coopgraph_fuzzing::import_chunks`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| coopgraph_fuzzing::import_chunks(data));
