//! cargo-fuzz target `extract_text`: see `coopgraph_fuzzing::extract_text`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| coopgraph_fuzzing::extract_text(data));
