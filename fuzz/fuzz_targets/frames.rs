#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| prp_fuzz_harness::frames(data));
