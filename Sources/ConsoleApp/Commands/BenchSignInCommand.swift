import ArgumentParser
import CityGridDemo
import Foundation
import Workflow

/// Measures what a password sign-in costs with the site's hash parameters (docs/security.md): hashing a new password,
/// checking one, and a whole `signIn` against a database (lookup, hash, audit row). Run from a release build.
struct BenchSignInCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-signin",
        abstract: "Measure password hashing and sign-in time with the chosen scrypt parameters.")

    @Option(help: "Sign-ins to time.") var repeats = 20
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func validate() throws {
        guard (1...10_000).contains(repeats) else { throw ValidationError("--repeats must be 1 to 10000") }
    }

    func run() throws {
        try guarded {
            #if DEBUG
            Output.progress("bench-signin: this is a debug build; scrypt itself is BoringSSL's C either way, but use a release build for the record")
            #endif
            let folder = (NSTemporaryDirectory() as NSString).appendingPathComponent("citygrid-bench-signin-\(getpid())")
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let path = (folder as NSString).appendingPathComponent("site.sqlite")
            let now = try Now.beforeSite(nil)
            _ = try SiteFiles.seedDemo(at: path, replace: true, options: DemoOptions(seed: 1, days: 1, cases: 10, now: now), progress: nil)
            let store = try CityStore.open(path: path)
            let start = DispatchTime.now()
            let hash = try PasswordHash.make("bench passphrase")
            let makeSeconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
            try store.setPassword(of: "city-dispatcher-1", to: "bench passphrase", by: "admin", at: now)
            var times: [Double] = []
            for _ in 0..<repeats {
                let t = DispatchTime.now()
                _ = try store.signIn(login: "city-dispatcher-1", password: "bench passphrase", address: "bench", at: now)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - t.uptimeNanoseconds) / 1e9)
            }
            times.sort()
            let median = times[times.count / 2], worst = times.last ?? 0
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            let peakMiB = Double(usage.ru_maxrss) / 1024
            let params = "scrypt N=\(hash.rounds) r=\(hash.blockSize) p=\(hash.parallelism) (\(128 * hash.rounds * hash.blockSize / 1_048_576) MiB)"
            if output.json {
                return try Output.json(["parameters": params, "hash_seconds": String(format: "%.3f", makeSeconds),
                                        "signin_median_seconds": String(format: "%.3f", median), "signin_max_seconds": String(format: "%.3f", worst),
                                        "peak_rss_mib": String(format: "%.0f", peakMiB), "repeats": String(repeats)])
            }
            Output.line(params)
            Output.line(String(format: "hash a new password: %.3f s", makeSeconds))
            Output.line(String(format: "sign-in (lookup, hash, audit row), %d times: median %.3f s, max %.3f s", repeats, median, worst))
            Output.line(String(format: "peak resident memory of this process: %.0f MiB", peakMiB))
        }
    }
}
