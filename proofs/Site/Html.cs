using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace ConvAsMatrix.Proofs;

/// <summary>
/// Builds XHTML elements and writes them as polyglot HTML: well-formed XML (so tests parse every page with
/// <see cref="XDocument"/>) that browsers read as ordinary HTML5 from the file system.
/// </summary>
public static class Html
{
    /// <summary>The XHTML namespace.</summary>
    public static readonly XNamespace Ns = "http://www.w3.org/1999/xhtml";

    /// <summary>The SVG namespace.</summary>
    public static readonly XNamespace Svg = Figures.Svg.Namespace;

    /// <summary>HTML elements that never have content (written as <c>&lt;br /&gt;</c>); every other element gets an end tag.</summary>
    private static readonly HashSet<string> Void = ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"];

    /// <summary>An XHTML element.</summary>
    public static XElement E(string name, params object?[] content) => new(Ns + name, content);

    /// <summary>An XHTML element with a class attribute.</summary>
    public static XElement C(string name, string cssClass, params object?[] content) => new(Ns + name, new XAttribute("class", cssClass), content);

    /// <summary>The document as text: <c>&lt;!DOCTYPE html&gt;</c> then the root, non-void empty elements closed with an end tag (an HTML parser reads <c>&lt;div/&gt;</c> as an open tag).</summary>
    public static string Serialize(XElement root)
    {
        foreach (var e in root.DescendantsAndSelf().Where(e => e.IsEmpty && e.Name.Namespace == Ns && !Void.Contains(e.Name.LocalName)).ToList())
            e.Add("");
        var sb = new StringBuilder("<!DOCTYPE html>\n");
        using (var writer = XmlWriter.Create(sb, new XmlWriterSettings { OmitXmlDeclaration = true, Indent = false }))
            root.WriteTo(writer);
        return sb.Append('\n').ToString();
    }

    /// <summary>A standalone SVG file's text.</summary>
    public static string SerializeSvg(XElement svg)
    {
        var sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        using (var writer = XmlWriter.Create(sb, new XmlWriterSettings { OmitXmlDeclaration = true, Indent = false }))
            svg.WriteTo(writer);
        return sb.Append('\n').ToString();
    }

    /// <summary>"The blur as a matrix" → "the-blur-as-a-matrix": lowercase ASCII letters and digits joined by hyphens; empty when none.</summary>
    public static string Slug(string title)
    {
        var sb = new StringBuilder();
        foreach (char c in title.ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9') sb.Append(c);
            else if (sb.Length > 0 && sb[^1] != '-') sb.Append('-');
        }
        return sb.ToString().Trim('-');
    }
}
