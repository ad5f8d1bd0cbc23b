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

/// Lowers the calling thread's scheduling priority (Linux: nice 10 for this thread alone), so a busier
/// thread of the same process gets the CPU first. Harmless where it is not supported.
func lowerThreadPriority() {
    #if os(Linux)
    // On Linux, PRIO_PROCESS with id 0 means the calling thread, not the whole process.
    _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
    #endif
}
