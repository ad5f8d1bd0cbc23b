import Workflow

/// One step of drilling down from the map: the region narrowed from and the zoom the map had, so Esc goes back up
/// one level to exactly where the operator was.
struct MapDrillStep: Sendable, Equatable {
    var from: String?
    var to: String
    var zoom: Int
}

/// Going back up the drill-down: cell → community → street → the viewer's whole region, one level per Esc.
enum MapDrill {
    /// The region one level up from `code`: a cell's community, a community's street, nothing above a street or a
    /// district (the viewer's whole region).
    static func parent(of code: String) -> String? {
        switch code.count {
        case RegionLevel.cell.codeLength: CellCode.community(of: code)
        case RegionLevel.community.codeLength: CellCode.street(of: code)
        default: nil
        }
    }

    /// Records a drill from the current region to `region` (before the map zooms in).
    static func record(to region: String, _ s: inout ConsoleState) {
        s.map.drill.append(MapDrillStep(from: s.queue.filter.region, to: region, zoom: s.map.view.zoom))
    }

    /// Up one level: back to the region and zoom the last drill came from, or to the region's parent when it was
    /// narrowed some other way.
    static func up(_ s: inout ConsoleState) -> [Effect] {
        guard let region = s.queue.filter.region else { return [] }
        if let step = s.map.drill.last, step.to == region {
            s.map.drill.removeLast()
            s.queue.filter.region = step.from
            s.map.view.zoom = step.zoom
        } else {
            s.map.drill = []
            s.queue.filter.region = parent(of: region)
        }
        if s.queue.filter.region?.count != RegionLevel.cell.codeLength { s.map.view.highlighted = nil }
        return ConsoleUpdate.resetAndReload(&s)
    }
}
