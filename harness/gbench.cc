// gbench.cc — extern "C" wrappers over Google Benchmark (see gbench.h).
#include "gbench.h"

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

namespace {
benchmark::State &S(gct_gb_state *st) { return *reinterpret_cast<benchmark::State *>(st); }
}  // namespace

extern "C" {

void gct_gb_register(const char *name, gct_gb_fn fn, void *ud, int64_t iterations,
                     int repetitions)
{
    auto *b = benchmark::RegisterBenchmark(name, [fn, ud](benchmark::State &state) {
        fn(reinterpret_cast<gct_gb_state *>(&state), ud);
    });
    b->UseRealTime()->Unit(benchmark::kMillisecond);
    if (iterations > 0)
        b->Iterations(iterations);
    if (repetitions > 1)
        b->Repetitions(repetitions);
}

void gct_gb_add_context(const char *key, const char *value)
{
    benchmark::AddCustomContext(key, value);
}

int gct_gb_run(const char *json_path, bool quiet)
{
    // Google Benchmark takes its output file from its command-line flags.
    std::vector<std::string> args = {"gctune"};
    if (json_path) {
        args.push_back(std::string("--benchmark_out=") + json_path);
        args.push_back("--benchmark_out_format=json");
    }
    std::vector<char *> argv;
    for (auto &a : args)
        argv.push_back(&a[0]);
    argv.push_back(nullptr);
    int argc = static_cast<int>(args.size());
    benchmark::Initialize(&argc, argv.data());
    if (benchmark::ReportUnrecognizedArguments(argc, argv.data()))
        return -1;
    size_t n;
    if (quiet) {
        // A display reporter that prints nothing; the JSON file still gets all.
        struct Silent : benchmark::BenchmarkReporter {
            bool ReportContext(const Context &) override { return true; }
            void ReportRuns(const std::vector<Run> &) override {}
        } silent;
        n = benchmark::RunSpecifiedBenchmarks(&silent);
    } else {
        n = benchmark::RunSpecifiedBenchmarks();
    }
    benchmark::Shutdown();
    return static_cast<int>(n);
}

bool gct_gb_keep_running(gct_gb_state *st) { return S(st).KeepRunning(); }
void gct_gb_pause(gct_gb_state *st) { S(st).PauseTiming(); }
void gct_gb_resume(gct_gb_state *st) { S(st).ResumeTiming(); }

void gct_gb_counter(gct_gb_state *st, const char *name, double value)
{
    S(st).counters[name] = benchmark::Counter(value);
}

void gct_gb_rate(gct_gb_state *st, const char *name, double value)
{
    S(st).counters[name] = benchmark::Counter(value, benchmark::Counter::kIsRate);
}

void gct_gb_skip_with_error(gct_gb_state *st, const char *msg) { S(st).SkipWithError(msg); }

int gct_gb_run_args(int argc, char **argv)
{
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return -1;
    size_t n = benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return static_cast<int>(n);
}

void gct_gb_register_unit(const char *name, gct_gb_fn fn, void *ud, int64_t iterations,
                          int repetitions, const char *unit)
{
    auto *b = benchmark::RegisterBenchmark(name, [fn, ud](benchmark::State &state) {
        fn(reinterpret_cast<gct_gb_state *>(&state), ud);
    });
    std::string u = unit ? unit : "";
    benchmark::TimeUnit tu = u == "ns"   ? benchmark::kNanosecond
                             : u == "us" ? benchmark::kMicrosecond
                             : u == "s"  ? benchmark::kSecond
                                         : benchmark::kMillisecond;
    b->UseRealTime()->Unit(tu);
    if (iterations > 0)
        b->Iterations(iterations);
    if (repetitions > 1)
        b->Repetitions(repetitions);
}

}  // extern "C"
