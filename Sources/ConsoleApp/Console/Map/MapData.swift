import Foundation
import Workflow

/// Turns the region's cells and the per-cell measures into the map widget's model. The arithmetic of blocks is
/// Workflow's (`GridBlocks`): a zoomed-out block of a rate shows the block's own rate, and a hotspot block its own
/// Gi* against the blocks around it; the map only draws the values it is given.
enum MapData {
    static func rebuildModel(_ s: inout ConsoleState) {
        let measure = s.map.measure
        let map = s.map
        // The component layer, while on, takes the map's place: hotspots and the measure wait until it is off.
        let layer = map.components
        let hotspot = map.hotspot && layer == nil
        let figure = { (code: String) in
            if let layer { return componentFigure(code, layer: layer, map: map) }
            return figureOf(code, measure: measure, map: map)
        }
        let cells = s.map.gridCells.map { cell in
            MapCell(code: cell.code, row: cell.row, col: cell.col, group: CellCode.street(of: cell.code),
                    value: hotspot ? map.zScores[cell.code] ?? 0 : figure(cell.code)?.value ?? 0,
                    name: MapPaneText.cellName(cell.code, s))
        }
        var title = measure.label(s.lang)
        if measure.usesWindow || hotspot { title += " · " + map.windowText }
        if hotspot { title = s.lang.t("热点 Getis-Ord Gi*（8邻域）· ", "hotspots Getis-Ord Gi* (8 neighbours) · ") + title }
        if let layer {
            let className = layer.classCode.flatMap { code in s.categories.first { $0.kind == .component && $0.code == code } }
                .map { s.lang.t($0.nameZh, $0.nameEn) }
            title = layer.label(s.lang, className: className)
        }
        var model = MapModel(cells: cells, title: title, legendLabel: hotspot ? "Gi* z" : layer != nil ? title : measure.label(s.lang),
                             groupLabel: s.lang.t("街道", "street"))
        model.scale = hotspot ? .hotspot : map.quantile ? .quantile : .linear
        model.chinese = s.lang == .zh
        if map.hotspot { model.hotspotLine = hotspotLine(s) }
        for group in model.groups { model.groupNames[group] = MapPaneText.name(group, s) }
        if model.maxZoom > 2 {
            for size in (3...model.maxZoom).map(MapZoom.blockSize) {
                let blocks = GridBlocks(cells: map.gridCells, size: size, figure: figure)
                model.blockValues[size] = hotspot ? blocks.hotspotScores() : blocks.values
            }
        }
        s.map.model = model
    }

    /// The cells whose Gi* reaches the 95% band, by name, hottest first, as many as the line holds: what a
    /// supervisor reads out ("仁巷社区 007 z2.9"), so a hotspot is a place and not only a colour.
    static func hotspotLine(_ s: ConsoleState) -> String {
        let threshold = MapHeatScale.hotspotBands[1].z
        let hot = s.map.zScores.filter { $0.value >= threshold }.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        let band = "z≥" + String(format: "%.2f", threshold)
        guard !hot.isEmpty else { return s.lang.t("热点：无（\(band)）", "hotspots: none at \(band)") }
        let names = hot.map { MapPaneText.cellName($0.key, s) + " z" + String(format: "%.1f", $0.value) }
        return s.lang.t("热点（\(band)，\(hot.count)个）：", "hotspots (\(band), \(hot.count)): ") + names.joined(separator: " · ")
    }

    /// A cell's figure of the component layer: its components needing work, or all those in place.
    static func componentFigure(_ code: String, layer: ComponentLayer, map: MapState) -> GridFigure? {
        guard let counts = map.componentCounts[code] else { return .count(0) }
        return .count(Double(layer.show == .faulty ? counts.faulty : counts.present))
    }

    /// A cell's figure of the measure: a window measure's terms as read, or a live count.
    static func figureOf(_ code: String, measure: MapMeasure, map: MapState) -> GridFigure? {
        if measure.usesWindow { return map.windowFigures[code] }
        return map.measures[code].map { .count(measure.value($0)) }
    }
}
