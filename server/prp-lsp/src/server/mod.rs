pub fn run_stdio() {}
