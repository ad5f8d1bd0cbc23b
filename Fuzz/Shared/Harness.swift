// libFuzzer's entry point for every CityGrid harness: CITYGRID_FUZZ_TARGET names the FuzzEntries entry to drive
// (csv, jsonl, geojson, calendar, time, theme, open311, command). This file is linked into each harness target.

import Foundation

enum SelectedEntry {
    static let run: @Sendable ([UInt8]) -> Void = {
        let name = ProcessInfo.processInfo.environment["CITYGRID_FUZZ_TARGET"] ?? FuzzEntries.all[0].name
        guard let entry = FuzzEntries.all.first(where: { $0.name == name }) else {
            FileHandle.standardError.write(Data("CITYGRID_FUZZ_TARGET=\(name) is not one of \(FuzzEntries.all.map(\.name))\n".utf8))
            exit(2)
        }
        return entry.run
    }()
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size > 0 && data != nil ? Array(UnsafeBufferPointer(start: data, count: size)) : []
    SelectedEntry.run(bytes)
    return 0
}
