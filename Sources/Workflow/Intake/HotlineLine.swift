/// A hotline line a hotline report came in on: the city-management hotline 12319 and the 96150 line every site
/// knows, and the lines an administrator adds (`site add-line`). A report names its line by code.
public struct HotlineLine: Sendable, Equatable, Codable {
    public var code: String
    public var name: String
    /// 12319 and 96150: known without being added, never stored.
    public var builtIn: Bool

    public init(code: String, name: String, builtIn: Bool = false) {
        self.code = code; self.name = name; self.builtIn = builtIn
    }

    public static let builtIn = [
        HotlineLine(code: "12319", name: "城管热线", builtIn: true),
        HotlineLine(code: "96150", name: "96150 热线", builtIn: true),
    ]
}
