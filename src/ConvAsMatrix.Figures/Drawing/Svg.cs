using System.Globalization;
using System.Xml.Linq;

namespace ConvAsMatrix.Figures;

/// <summary>Small builders for SVG elements with presentation attributes (no CSS), coordinates in pixels.</summary>
public static class Svg
{
    /// <summary>System fonts only: the figure looks the same inline and as its own file, with no download.</summary>
    public const string Font = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Liberation Sans', 'DejaVu Sans', sans-serif";

    /// <summary>Dark text.</summary>
    public const string Ink = "#1f2328";

    /// <summary>Secondary text (titles of axes, indices).</summary>
    public const string Muted = "#57606a";

    /// <summary>Faint grid lines.</summary>
    public const string Faint = "#dfe3e8";

    /// <summary>The SVG namespace.</summary>
    public static readonly XNamespace Namespace = "http://www.w3.org/2000/svg";

    private static readonly XNamespace Ns = Namespace;

    /// <summary>The root: a <paramref name="width"/>×<paramref name="height"/> view box that scales to its container, with an accessible title.</summary>
    public static XElement Root(double width, double height, string title, string kind, IEnumerable<XElement> content) =>
        new(Ns + "svg",
            new XAttribute("viewBox", $"0 0 {N(width)} {N(height)}"),
            new XAttribute("width", N(width)), new XAttribute("height", N(height)),
            new XAttribute("role", "img"), new XAttribute("data-figure", kind),
            new XAttribute("font-family", Font),
            new XElement(Ns + "title", title),
            new XElement(Ns + "rect", new XAttribute("width", "100%"), new XAttribute("height", "100%"), new XAttribute("fill", "#ffffff")),
            content);

    /// <summary>A group with optional attributes (name, value pairs).</summary>
    public static XElement Group(IEnumerable<(string Name, string Value)> attributes, params object?[] content) =>
        new(Ns + "g", attributes.Select(a => new XAttribute(a.Name, a.Value)), content);

    /// <summary>A rectangle; <paramref name="stroke"/> null for none.</summary>
    public static XElement Rect(double x, double y, double w, double h, string fill, string? stroke = null, double strokeWidth = 1) =>
        new(Ns + "rect",
            new XAttribute("x", N(x)), new XAttribute("y", N(y)), new XAttribute("width", N(w)), new XAttribute("height", N(h)),
            new XAttribute("fill", fill),
            stroke is null ? null : new XAttribute("stroke", stroke),
            stroke is null ? null : new XAttribute("stroke-width", N(strokeWidth)));

    /// <summary>A line.</summary>
    public static XElement Line(double x1, double y1, double x2, double y2, string stroke, double width = 1) =>
        new(Ns + "line", new XAttribute("x1", N(x1)), new XAttribute("y1", N(y1)), new XAttribute("x2", N(x2)), new XAttribute("y2", N(y2)),
            new XAttribute("stroke", stroke), new XAttribute("stroke-width", N(width)));

    /// <summary>Text centred on (x, y) by default; <paramref name="anchor"/> "start" or "end" to align otherwise.</summary>
    public static XElement Text(double x, double y, string text, double size = 13, string fill = Ink, string anchor = "middle", string? weight = null, string? cssClass = null) =>
        new(Ns + "text",
            new XAttribute("x", N(x)), new XAttribute("y", N(y)), new XAttribute("font-size", N(size)),
            new XAttribute("text-anchor", anchor), new XAttribute("dominant-baseline", "central"), new XAttribute("fill", fill),
            weight is null ? null : new XAttribute("font-weight", weight),
            cssClass is null ? null : new XAttribute("class", cssClass),
            text);

    /// <summary>A tooltip (and the cell's value for screen readers and for tests that read the figure back).</summary>
    public static XElement Title(string text) => new(Ns + "title", text);

    /// <summary>A number for an attribute: invariant culture, at most two decimals.</summary>
    public static string N(double value) => Math.Round(value, 2).ToString(CultureInfo.InvariantCulture);

    /// <summary>An approximate text width in pixels (for layout; system fonts differ a little).</summary>
    public static double Width(string text, double size) => text.Length * size * 0.6;
}
