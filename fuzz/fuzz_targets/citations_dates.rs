//! cargo-fuzz target `citations_dates`: see `coopgraph_fuzzing::citations_dates`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| coopgraph_fuzzing::citations_dates(data));
