//! cargo-fuzz target `csv_data`: see `coopgraph_fuzzing::csv_data`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| coopgraph_fuzzing::csv_data(data));
