using System.Xml.Linq;

namespace ConvAsMatrix.Figures;

/// <summary>
/// A picture computed from the library's results (never drawn by hand): the same data is drawn as text for the
/// terminal and as a self-contained SVG for the web site, and the SVG carries the numbers it shows so a test can
/// read them back.
/// </summary>
public abstract class Figure
{
    /// <summary>What the figure shows, one or two sentences; the web page prints it under the figure.</summary>
    public abstract string Caption { get; }

    /// <summary>The figure as terminal lines (no indentation; the renderer adds it).</summary>
    public abstract IReadOnlyList<string> TextLines();

    /// <summary>The figure as a standalone <c>&lt;svg&gt;</c> element (presentation attributes only, no CSS), so it also works as its own file.</summary>
    public abstract XElement ToSvg();
}
