using System.Text;

namespace ConvAsMatrix.Proofs;

/// <summary><c>dotnet run --project proofs [-- --list | --html DIR | name...]</c>: runs the proofs of the lecture note's claims, in the terminal or as a web site.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        Console.OutputEncoding = Encoding.UTF8; // subscripts and box characters
        return new ProofRunner(ProofCatalog.All, Console.Out, Console.Error).Main(args);
    }
}
