// Benchmark driver for scripts/bench; each subcommand lives in its own file.
