//! `ramp`: the one binary. See `ramp --help`.

fn main() -> std::process::ExitCode {
    ramp::main()
}
