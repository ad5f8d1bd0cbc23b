// The shipped theme files, embedded so the binary works without themes/ beside it.
// Must equal themes/*.yaml byte for byte (a test checks): edit the file, then copy it here.
enum BuiltinThemes {
    static let all: [(name: String, yaml: String)] = [
        ("default", defaultTheme), ("light", light), ("high-contrast", highContrast), ("mono", mono),
    ]

    static let defaultTheme = #"""
    # CityGrid theme: default (dark background).
    #
    # Colours: default, black, red, green, yellow, blue, magenta, cyan, white,
    # bright-<name>, 0-255 (xterm palette) or "#rrggbb" (quote it: # starts a comment).
    # Attributes: bold, dim, italic, underline, reverse, blink (true/false).
    # mono: the attributes used instead when the terminal shows no colour (NO_COLOR).
    # A style without fg or bg takes them from normal; a missing style is normal.
    name: default
    description: Dark background
    styles:
      normal:             { fg: "#d0d0d0", bg: "#121212" }
      muted:              { fg: "#808080", mono: [dim] }
      header:             { fg: "#ffffff", bg: "#303a4a", bold: true, mono: [bold, reverse] }
      title:              { fg: "#87afff", bold: true, mono: [bold] }
      border:             { fg: "#585858", mono: [dim] }
      border.focus:       { fg: "#87afff", bold: true, mono: [bold] }
      selection:          { fg: "#ffffff", bg: "#005f87", bold: true, mono: [bold, reverse] }
      selection.inactive: { fg: "#d0d0d0", bg: "#3a3a3a", mono: [reverse] }
      status:             { fg: "#d0d0d0", bg: "#262626", mono: [reverse] }
      status.key:         { fg: "#ffd75f", bg: "#262626", bold: true, mono: [bold, reverse] }
      hint:               { fg: "#8a8a8a", italic: true, mono: [dim] }
      error:              { fg: "#ff5f5f", bold: true, mono: [bold, reverse] }
      warning:            { fg: "#ffaf00", bold: true, mono: [bold, underline] }
      ok:                 { fg: "#5fd75f", mono: [] }
      new:                { fg: "#5fafff", bold: true, mono: [bold] }
      marked:             { fg: "#ffd700", bold: true, mono: [bold, underline] }
      urgent:             { fg: "#ff5faf", bold: true, mono: [bold, underline] }
      due.green:          { fg: "#5fd75f", mono: [] }
      due.yellow:         { fg: "#ffd75f", bold: true, mono: [underline] }
      due.red:            { fg: "#ff5f5f", bold: true, mono: [bold, reverse] }
      heat.0:             { fg: "#6c6c6c", bg: "#1c1c1c", mono: [dim] }
      heat.1:             { fg: "#d0d0d0", bg: "#1f2d3d", mono: [] }
      heat.2:             { fg: "#ffffff", bg: "#1d4a5a", mono: [underline] }
      heat.3:             { fg: "#ffffff", bg: "#1f6f5f", mono: [bold] }
      heat.4:             { fg: "#000000", bg: "#5f9f3f", mono: [bold, underline] }
      heat.5:             { fg: "#000000", bg: "#afaf2f", mono: [dim, reverse] }
      heat.6:             { fg: "#000000", bg: "#d7a020", mono: [reverse] }
      heat.7:             { fg: "#000000", bg: "#e07020", mono: [reverse, underline] }
      heat.8:             { fg: "#ffffff", bg: "#c83020", mono: [bold, reverse] }
      heat.9:             { fg: "#ffffff", bg: "#ff0000", bold: true, mono: [bold, underline, reverse] }
      map.cursor:         { fg: "#000000", bg: "#ffd700", bold: true, mono: [bold, reverse, blink] }
      map.boundary:       { fg: "#5f5f87", mono: [dim] }
      map.empty:          { fg: "#444444", mono: [dim] }
      map.selected-case:  { fg: "#ffff00", bold: true, mono: [bold, underline] }
      overlay:            { fg: "#e4e4e4", bg: "#262640", mono: [] }
      input:              { fg: "#d0d0d0", bg: "#303030", mono: [underline] }
      input.focus:        { fg: "#ffffff", bg: "#3a3a5a", bold: true, mono: [bold, underline] }

    """#

    static let light = #"""
    # CityGrid theme: light (light background).
    #
    # Colours: default, black, red, green, yellow, blue, magenta, cyan, white,
    # bright-<name>, 0-255 (xterm palette) or "#rrggbb" (quote it: # starts a comment).
    # Attributes: bold, dim, italic, underline, reverse, blink (true/false).
    # mono: the attributes used instead when the terminal shows no colour (NO_COLOR).
    # A style without fg or bg takes them from normal; a missing style is normal.
    name: light
    description: Light background
    styles:
      normal:             { fg: "#262626", bg: "#ffffff" }
      muted:              { fg: "#767676", mono: [dim] }
      header:             { fg: "#000000", bg: "#d0dcea", bold: true, mono: [bold, reverse] }
      title:              { fg: "#005faf", bold: true, mono: [bold] }
      border:             { fg: "#a8a8a8", mono: [dim] }
      border.focus:       { fg: "#005faf", bold: true, mono: [bold] }
      selection:          { fg: "#000000", bg: "#afd7ff", bold: true, mono: [bold, reverse] }
      selection.inactive: { fg: "#262626", bg: "#e4e4e4", mono: [reverse] }
      status:             { fg: "#262626", bg: "#dadada", mono: [reverse] }
      status.key:         { fg: "#875f00", bg: "#dadada", bold: true, mono: [bold, reverse] }
      hint:               { fg: "#767676", italic: true, mono: [dim] }
      error:              { fg: "#d70000", bold: true, mono: [bold, reverse] }
      warning:            { fg: "#af5f00", bold: true, mono: [bold, underline] }
      ok:                 { fg: "#008700", mono: [] }
      new:                { fg: "#005fd7", bold: true, mono: [bold] }
      marked:             { fg: "#875f00", bold: true, mono: [bold, underline] }
      urgent:             { fg: "#d7005f", bold: true, mono: [bold, underline] }
      due.green:          { fg: "#008700", mono: [] }
      due.yellow:         { fg: "#af8700", bold: true, mono: [underline] }
      due.red:            { fg: "#d70000", bold: true, mono: [bold, reverse] }
      heat.0:             { fg: "#8a8a8a", bg: "#f5f5f5", mono: [dim] }
      heat.1:             { fg: "#000000", bg: "#e0ecf4", mono: [] }
      heat.2:             { fg: "#000000", bg: "#c6e2dc", mono: [underline] }
      heat.3:             { fg: "#000000", bg: "#a8dbb4", mono: [bold] }
      heat.4:             { fg: "#000000", bg: "#d9ef8b", mono: [bold, underline] }
      heat.5:             { fg: "#000000", bg: "#ffe08a", mono: [dim, reverse] }
      heat.6:             { fg: "#000000", bg: "#fdae61", mono: [reverse] }
      heat.7:             { fg: "#000000", bg: "#f46d43", mono: [reverse, underline] }
      heat.8:             { fg: "#ffffff", bg: "#d73027", mono: [bold, reverse] }
      heat.9:             { fg: "#ffffff", bg: "#a50026", bold: true, mono: [bold, underline, reverse] }
      map.cursor:         { fg: "#ffffff", bg: "#005faf", bold: true, mono: [bold, reverse, blink] }
      map.boundary:       { fg: "#8787af", mono: [dim] }
      map.empty:          { fg: "#c6c6c6", mono: [dim] }
      map.selected-case:  { fg: "#af00af", bold: true, mono: [bold, underline] }
      overlay:            { fg: "#1c1c1c", bg: "#eeeeee", mono: [] }
      input:              { fg: "#262626", bg: "#eeeeee", mono: [underline] }
      input.focus:        { fg: "#000000", bg: "#d7e4f0", bold: true, mono: [bold, underline] }

    """#

    static let highContrast = #"""
    # CityGrid theme: high-contrast (bold, bright, 16 named colours only).
    #
    # Colours: default, black, red, green, yellow, blue, magenta, cyan, white,
    # bright-<name>, 0-255 (xterm palette) or "#rrggbb" (quote it: # starts a comment).
    # Attributes: bold, dim, italic, underline, reverse, blink (true/false).
    # mono: the attributes used instead when the terminal shows no colour (NO_COLOR).
    # A style without fg or bg takes them from normal; a missing style is normal.
    name: high-contrast
    description: Bright text on black, 16 colours, for low vision and glare
    styles:
      normal:             { fg: bright-white, bg: black }
      muted:              { fg: white, mono: [] }
      header:             { fg: black, bg: bright-white, bold: true, mono: [bold, reverse] }
      title:              { fg: bright-yellow, bold: true, underline: true, mono: [bold, underline] }
      border:             { fg: white, mono: [] }
      border.focus:       { fg: bright-yellow, bold: true, mono: [bold] }
      selection:          { fg: black, bg: bright-yellow, bold: true, mono: [bold, reverse] }
      selection.inactive: { fg: black, bg: white, mono: [reverse] }
      status:             { fg: black, bg: bright-white, mono: [reverse] }
      status.key:         { fg: black, bg: bright-cyan, bold: true, mono: [bold, reverse] }
      hint:               { fg: bright-cyan, mono: [] }
      error:              { fg: bright-white, bg: red, bold: true, mono: [bold, reverse] }
      warning:            { fg: black, bg: bright-yellow, bold: true, mono: [bold, underline] }
      ok:                 { fg: bright-green, bold: true, mono: [bold] }
      new:                { fg: bright-cyan, bold: true, mono: [bold] }
      marked:             { fg: bright-magenta, bold: true, underline: true, mono: [bold, underline] }
      urgent:             { fg: bright-white, bg: red, bold: true, mono: [bold, reverse] }
      due.green:          { fg: bright-green, mono: [] }
      due.yellow:         { fg: bright-yellow, bold: true, underline: true, mono: [underline] }
      due.red:            { fg: bright-white, bg: red, bold: true, mono: [bold, reverse] }
      heat.0:             { fg: white, bg: black, mono: [dim] }
      heat.1:             { fg: bright-white, bg: black, mono: [] }
      heat.2:             { fg: bright-white, bg: blue, mono: [underline] }
      heat.3:             { fg: black, bg: bright-cyan, mono: [bold] }
      heat.4:             { fg: black, bg: bright-green, mono: [bold, underline] }
      heat.5:             { fg: black, bg: yellow, mono: [dim, reverse] }
      heat.6:             { fg: black, bg: bright-yellow, mono: [reverse] }
      heat.7:             { fg: black, bg: bright-magenta, mono: [reverse, underline] }
      heat.8:             { fg: bright-white, bg: red, bold: true, mono: [bold, reverse] }
      heat.9:             { fg: bright-yellow, bg: red, bold: true, underline: true, mono: [bold, underline, reverse] }
      map.cursor:         { fg: black, bg: bright-white, bold: true, mono: [bold, reverse, blink] }
      map.boundary:       { fg: bright-blue, mono: [dim] }
      map.empty:          { fg: white, mono: [dim] }
      map.selected-case:  { fg: bright-magenta, bold: true, underline: true, mono: [bold, underline] }
      overlay:            { fg: bright-white, bg: blue, mono: [] }
      input:              { fg: black, bg: white, mono: [underline] }
      input.focus:        { fg: black, bg: bright-white, bold: true, mono: [bold, underline] }

    """#

    static let mono = #"""
    # CityGrid theme: mono (no colour at all: attributes only).
    #
    # Colours: default, black, red, green, yellow, blue, magenta, cyan, white,
    # bright-<name>, 0-255 (xterm palette) or "#rrggbb" (quote it: # starts a comment).
    # Attributes: bold, dim, italic, underline, reverse, blink (true/false).
    # mono: the attributes used instead when the terminal shows no colour (NO_COLOR).
    # A style without fg or bg takes them from normal; a missing style is normal.
    name: mono
    description: Terminal default colours, states shown with bold, underline and reverse
    styles:
      normal:             { fg: default, bg: default }
      muted:              { dim: true }
      header:             { bold: true, reverse: true }
      title:              { bold: true }
      border:             { dim: true }
      border.focus:       { bold: true }
      selection:          { bold: true, reverse: true }
      selection.inactive: { reverse: true }
      status:             { reverse: true }
      status.key:         { bold: true, reverse: true }
      hint:               { dim: true }
      error:              { bold: true, reverse: true }
      warning:            { bold: true, underline: true }
      ok:                 { }
      new:                { bold: true }
      marked:             { bold: true, underline: true }
      urgent:             { bold: true, reverse: true }
      due.green:          { }
      due.yellow:         { underline: true }
      due.red:            { bold: true, reverse: true }
      heat.0:             { dim: true }
      heat.1:             { }
      heat.2:             { underline: true }
      heat.3:             { bold: true }
      heat.4:             { bold: true, underline: true }
      heat.5:             { dim: true, reverse: true }
      heat.6:             { reverse: true }
      heat.7:             { reverse: true, underline: true }
      heat.8:             { bold: true, reverse: true }
      heat.9:             { bold: true, underline: true, reverse: true }
      map.cursor:         { bold: true, reverse: true, blink: true }
      map.boundary:       { dim: true }
      map.empty:          { dim: true }
      map.selected-case:  { bold: true, underline: true }
      overlay:            { }
      input:              { underline: true }
      input.focus:        { bold: true, underline: true }

    """#
}
