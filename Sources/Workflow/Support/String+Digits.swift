extension String {
    /// `value` in decimal, left-padded with zeros to `width` digits (`String(format: "%0*d")` without
    /// Foundation's formatter, which costs a microsecond a call).
    package init(zeroPadded value: Int, width: Int) {
        let digits = String(value)
        self = digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
