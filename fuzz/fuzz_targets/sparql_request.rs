//! cargo-fuzz target `sparql_request`: see `coopgraph_fuzzing_serve::sparql_request`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| coopgraph_fuzzing_serve::sparql_request(data));
