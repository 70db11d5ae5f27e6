//! A horizontal bar chart of throughput per backend per operation (log scale), as SVG.

use super::Cell;
use super::table::throughput;

const ROW: f64 = 18.0;
const LEFT: f64 = 360.0;
const WIDTH: f64 = 520.0;

/// The chart of `cells`.
pub fn chart(cells: &[Cell]) -> String {
    let max = cells
        .iter()
        .map(throughput)
        .fold(1.0_f64, f64::max)
        .log10()
        .ceil()
        .max(1.0);
    let mut y = 30.0;
    let mut body = String::new();
    let mut group = "";
    for cell in cells {
        if cell.group != group {
            group = &cell.group;
            y += 8.0;
            body.push_str(&format!(
                "<text x=\"4\" y=\"{y}\" font-weight=\"bold\">{}</text>\n",
                escape(group)
            ));
            y += ROW;
        }
        let width = (throughput(cell).max(1.0).log10() / max * WIDTH).max(1.0);
        let color = if cell.backend.starts_with("raw-") {
            "#999"
        } else {
            "#3b7dd8"
        };
        body.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><rect x=\"{LEFT}\" y=\"{}\" width=\"{width:.1}\" height=\"13\" fill=\"{color}\"/><text x=\"{:.1}\" y=\"{}\">{:.0}/s</text>\n",
            LEFT - 6.0,
            y - 3.0,
            escape(&cell.backend),
            y - 14.0,
            LEFT + width + 4.0,
            y - 3.0,
            throughput(cell)
        ));
        y += ROW;
    }
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n<text x=\"4\" y=\"16\">Throughput (operations or messages per second, log scale); grey: raw client baselines</text>\n{body}</svg>\n",
        LEFT + WIDTH + 120.0,
        y + 10.0
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
