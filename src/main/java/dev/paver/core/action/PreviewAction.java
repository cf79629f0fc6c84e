package dev.paver.core.action;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import dev.paver.core.goldenpath.RepositoryPort;
import dev.paver.core.report.Message;
import dev.paver.core.report.Times;
import dev.paver.core.run.Action;
import dev.paver.core.run.ActionContext;
import dev.paver.core.run.ActionResult;
import dev.paver.core.run.Milestone;
import dev.paver.core.run.RepositoryNames;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code paver:preview}: the dry run. In a run asked with {@code --dry-run} (or Preview first in the modal), shows in
 * the thread the files the following steps would push and a unified diff against each target repository's default
 * branch, then waits for the requester's Open PR; until then nothing is pushed. In other runs it is done at once.
 *
 * <p>Open PR goes on with exactly the previewed change: the button carries a SHA-256 digest of the files, and the
 * step only proceeds when the files rendered now have that digest. If they differ (a promotion's source moved, a
 * template changed), it shows the new preview and waits again. After {@value #HOURS} hours without Open PR the run
 * fails; nothing was pushed.
 *
 * <p>Inputs: {@code changes}, a list of {@code {path, repository}}: a workspace folder and the repository its files
 * go to. Output: {@code previewed} ({@code true}/{@code false}), {@code digest}.
 */
public final class PreviewAction implements Action {

    /** The action id of the Open PR button; its value is {@code <run id> <digest>}. */
    public static final String OPEN_ACTION_ID = "preview-open";
    /** The signal a click gives the run: {@code preview-open:<digest>}. */
    public static final String SIGNAL = "preview-open:";
    /** Hours a preview waits for Open PR. */
    public static final int HOURS = 24;
    /** At most this many characters of diff in the thread; the pull request shows the rest. */
    static final int MAX_DIFF = 2600;

    private final RepositoryPort repositories;

    /** @param repositories the git host, read (never written) for the diff */
    public PreviewAction(RepositoryPort repositories) {
        this.repositories = repositories;
    }

    @Override
    public String id() {
        return "paver:preview";
    }

    @Override
    public boolean usesWorkspace() {
        return true;
    }

    /** The wait key of a run's preview: Open PR wakes it. */
    public static String waitKey(String runId) {
        return "preview:" + runId;
    }

    @Override
    public ActionResult execute(ActionContext ctx) {
        if (!ctx.dryRun()) {
            return new ActionResult.Done(Map.of("previewed", false), "no preview asked", List.of());
        }
        List<Change> changes = changes(ctx);
        String digest = digest(changes);
        if (ctx.signals().contains(SIGNAL + digest)) {
            return new ActionResult.Done(Map.of("previewed", true, "digest", digest), "Open PR clicked", List.of());
        }
        Instant deadline = ctx.stepStarted().plus(Duration.ofHours(HOURS));
        if (!ctx.clock().instant().isBefore(deadline)) {
            return new ActionResult.Failed("Nobody clicked Open PR within " + Times.duration(Duration.ofHours(HOURS)) + " of the preview, so nothing was "
                    + "pushed. Ask again to see a fresh preview.", List.of());
        }
        boolean moved = ctx.signals().stream().anyMatch(s -> s.startsWith(SIGNAL));
        StringBuilder text = new StringBuilder(moved
                ? "The change is no longer the one you previewed (what it is based on moved on), so nothing was pushed. "
                  + "Here is the change as it is now:\n"
                : "Dry run: nothing is pushed until you click Open PR.\n");
        StringBuilder diff = new StringBuilder();
        for (Change c : changes) {
            text.append("*").append(c.repository()).append("*: ");
            List<String> parts = new ArrayList<>();
            for (Map.Entry<String, String> f : c.files().entrySet()) {
                String before = c.current().get(f.getKey());
                if (before == null) {
                    parts.add(f.getKey() + " (new)");
                } else if (!before.equals(f.getValue())) {
                    parts.add(f.getKey() + " (changed)");
                }
                diff.append(unified(f.getKey(), before, f.getValue()));
            }
            text.append(parts.isEmpty() ? "no file changes" : String.join(", ", parts)).append("\n");
        }
        String shown = diff.length() <= MAX_DIFF ? diff.toString()
                : diff.substring(0, diff.lastIndexOf("\n", MAX_DIFF) + 1) + "… " + (diff.toString().split("\n", -1).length
                - diff.substring(0, diff.lastIndexOf("\n", MAX_DIFF) + 1).split("\n", -1).length + 1)
                + " more lines; the pull request shows them all\n";
        if (!shown.isEmpty()) {
            text.append("```\n").append(shown).append("```");
        }
        Milestone preview = new Milestone("shown-" + digest, text.toString().strip(), List.of(),
                List.of(new Message.Button("Open PR", OPEN_ACTION_ID, ctx.runId() + " " + digest, "primary")));
        return new ActionResult.Waiting(waitKey(ctx.runId()), "Preview shown: waiting for Open PR", List.of(preview), deadline);
    }

    private record Change(String repository, Map<String, String> files, Map<String, String> current) {
    }

    @SuppressWarnings("unchecked")
    private List<Change> changes(ActionContext ctx) {
        Object raw = ctx.input().get("changes");
        if (!(raw instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException("step " + ctx.stepId() + ": input.changes must list {path, repository}");
        }
        List<Change> out = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> m) || m.get("path") == null || m.get("repository") == null) {
                throw new IllegalArgumentException("step " + ctx.stepId() + ": each of input.changes needs path and repository");
            }
            String repository = RepositoryNames.repository(String.valueOf(m.get("repository")));
            Map<String, String> files = new TreeMap<>(ctx.workspaceUnder(String.valueOf(m.get("path"))));
            Map<String, String> current = new TreeMap<>();
            for (String file : files.keySet()) {
                if (!current.containsKey(file)) {
                    String dir = file.contains("/") ? file.substring(0, file.lastIndexOf('/')) : "";
                    current.putAll(repositories.readFiles(repository, dir));
                }
            }
            current.keySet().retainAll(files.keySet());
            out.add(new Change(repository, files, current));
        }
        return out;
    }

    /** SHA-256 of every repository, path and content, in order; the first 16 hex digits. */
    static String digest(List<Change> changes) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Change c : changes) {
                update(sha, c.repository());
                c.files().forEach((path, text) -> {
                    update(sha, path);
                    update(sha, text);
                });
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void update(MessageDigest sha, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        sha.update(bytes);
    }

    private static String unified(String path, String before, String after) {
        List<String> old = before == null ? List.of() : List.of(before.split("\n", -1));
        List<String> now = List.of(after.split("\n", -1));
        List<String> lines = UnifiedDiffUtils.generateUnifiedDiff(before == null ? "/dev/null" : "a/" + path, "b/" + path,
                old, DiffUtils.diff(old, now), 3);
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }
}
