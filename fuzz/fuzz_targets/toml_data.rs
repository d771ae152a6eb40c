//! cargo-fuzz target `toml_data`: see `coopgraph_fuzzing::toml_data`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| coopgraph_fuzzing::toml_data(data));
