namespace ReviewPortal.Web.Features.Ingest;

/// <summary>Checks a submission field by field; error keys are the JSON field paths, so a client knows what to fix.</summary>
public static class SubmitChangeValidator
{
    public const int MaxFiles = 1000;
    public const int MaxFileBytes = 2 * 1024 * 1024;

    public static Dictionary<string, string[]> Validate(SubmitChangeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
            {
                errors[field] = list = [];
            }

            list.Add(message);
        }

        Required("title", request.Title, 300);
        Required("repository", request.Repository, 200);
        Required("author", request.Author, 200);
        Optional("prompter", request.Prompter, 200);
        Optional("agentSessionId", request.AgentSessionId, 200);
        Optional("modelVersion", request.ModelVersion, 200);
        Optional("prompt", request.Prompt, 100_000);

        if (request.Files is null || request.Files.Count == 0)
        {
            Add("files", "At least one file is required.");
        }
        else if (request.Files.Count > MaxFiles)
        {
            Add("files", $"At most {MaxFiles} files per change.");
        }
        else
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < request.Files.Count; i++)
            {
                ValidateFile(i, request.Files[i], seen, Add);
            }
        }

        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

        void Required(string field, string? value, int maxLength)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                Add(field, $"The {field} field is required.");
            }
            else
            {
                Optional(field, value, maxLength);
            }
        }

        void Optional(string field, string? value, int maxLength)
        {
            if (value is not null && value.Length > maxLength)
            {
                Add(field, $"The {field} field is longer than {maxLength} characters.");
            }
        }
    }

    private static void ValidateFile(int index, SubmittedFile? file, HashSet<string> seen, Action<string, string> add)
    {
        var prefix = $"files[{index}]";
        if (file is null)
        {
            add(prefix, "A file entry cannot be null.");
            return;
        }

        if (string.IsNullOrWhiteSpace(file.Path))
        {
            add($"{prefix}.path", "The path field is required.");
        }
        else if (file.Path.Length > 1024 || file.Path.StartsWith('/') || file.Path.Contains('\\', StringComparison.Ordinal)
                 || file.Path.Split('/').Any(segment => segment is "" or "." or "..") || file.Path.Any(char.IsControl))
        {
            add($"{prefix}.path", "The path must be a relative path with '/' separators and no '.', '..' or empty segments.");
        }
        else if (!seen.Add(file.Path))
        {
            add($"{prefix}.path", $"The path '{file.Path}' appears more than once.");
        }

        if (file.OldContent is null && file.NewContent is null)
        {
            add(prefix, "A file needs oldContent, newContent or both.");
        }
        else if (string.Equals(file.OldContent, file.NewContent, StringComparison.Ordinal))
        {
            add(prefix, "The file's old and new content are identical.");
        }

        if (file.OldContent is { Length: > MaxFileBytes })
        {
            add($"{prefix}.oldContent", $"Larger than {MaxFileBytes} characters.");
        }

        if (file.NewContent is { Length: > MaxFileBytes })
        {
            add($"{prefix}.newContent", $"Larger than {MaxFileBytes} characters.");
        }
    }
}
