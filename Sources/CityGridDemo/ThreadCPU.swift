#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CPU seconds the calling thread has used so far. The seeder's figures use it: on a shared machine a
/// thread's CPU time varies far less between runs than the wall time around it.
func threadCPUSeconds() -> Double {
    var spec = timespec()
    guard clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec) == 0 else { return 0 }
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// CPU seconds the calling thread has used so far, split into its own code (user) and the kernel's work on
/// its behalf (system: for the seeder's writer, mostly copying pages into the file). Microseconds, and
/// zeros where the platform has no per-thread usage: `threadCPUSeconds` is the finer clock for totals.
func threadCPUTimes() -> (user: Double, system: Double) {
    #if os(Linux)
    var usage = rusage()
    // RUSAGE_THREAD (1): glibc defines it as a macro the Swift importer does not bring in.
    guard getrusage(__rusage_who_t(1), &usage) == 0 else { return (0, 0) }
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return (seconds(usage.ru_utime), seconds(usage.ru_stime))
    #else
    return (0, 0)
    #endif
}

/// Lowers the calling thread's scheduling priority (Linux: nice 10 for this thread alone), so a busier
/// thread of the same process gets the CPU first. Harmless where it is not supported.
func lowerThreadPriority() {
    #if os(Linux)
    // On Linux, PRIO_PROCESS with id 0 means the calling thread, not the whole process.
    _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
    #endif
}
