package io.redotrail.fuzz;

import io.redotrail.core.CorruptFileException;
import io.redotrail.core.FileTrees;
import io.redotrail.redo.MissingRedoLogException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Corruption fuzz test (issue 9): for each kind of file the project writes, real files from a small workload are
 * damaged at random (a flipped byte, zeroed bytes, a truncation; weighted towards length fields, CRCs, headers
 * and the last record) and read by the real reading component. Every case must end either in an abend whose
 * message names the damaged file and a position, having delivered only a prefix of the undamaged output, or with
 * output equal to the undamaged run, row for row. Anything else — a missing, extra or altered transaction
 * without an abend, an error that names no file or position, a hang — fails, with the seed and case in the
 * message. Seeded: {@code -Dredotrail.fuzz.seed=N} replays a run, {@code -Dredotrail.fuzz.cases=N} sets the
 * cases per kind. Counts per kind and outcome go to {@code target/corruption-fuzz.txt} (docs/corruption.md).
 */
class CorruptionFuzzTest {
    static final long SEED = Long.getLong("redotrail.fuzz.seed", 20261202L);
    static final int CASES = Integer.getInteger("redotrail.fuzz.cases", 50);
    private static final Pattern POSITION = Pattern.compile("(at byte \\d+|RBA \\d+)");
    private static final Map<String, Map<String, Integer>> TALLY = new TreeMap<>();

    @TempDir
    static Path tmp;

    static List<FileKind> kinds() {
        return List.of(new TrailKind(), new RedoKind(RedoKind.Mode.ONLINE), new RedoKind(RedoKind.Mode.ARCHIVED),
                new RedoKind(RedoKind.Mode.CONTROL), new CheckpointKind(), new BrKind(), new SpillKind());
    }

    @TestFactory
    Stream<DynamicTest> everyKindAbendsNamingTheFileOrDeliversTheUndamagedOutput() {
        List<FileKind> kinds = kinds();
        return kinds.stream().map(k -> DynamicTest.dynamicTest(k.name(), () -> fuzz(k, kinds.indexOf(k))));
    }

    private void fuzz(FileKind kind, int kindIndex) throws Exception {
        Path base = tmp.resolve(kind.name().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-"));
        Path template = base.resolve("template");
        if (!kind.perCase()) kind.write(template);
        List<String> expected = new ArrayList<>();
        Path clean = prepare(kind, template, base.resolve("clean"));
        kind.read(clean, null, expected);
        if (expected.isEmpty()) fail(kind.name() + ": the undamaged run delivered nothing");
        // the cases are independent (a directory and a Random of their own, seeded by the case's number): two at a
        // time on CI's two cores, each still judged in full; the first failure (lowest case) fails the kind
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> cases = new ArrayList<>();
            for (int i = 0; i < CASES; i++) {
                int c = i;
                cases.add(pool.submit(() -> {
                    fuzzCase(kind, kindIndex, c, template, base, expected);
                    return null;
                }));
            }
            for (Future<?> f : cases) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Exception x) throw x;
                    throw (Error) e.getCause();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void fuzzCase(FileKind kind, int kindIndex, int i, Path template, Path base, List<String> expected) throws Exception {
        String id = "seed " + SEED + ", " + kind.name() + " case " + i;
        Random rnd = new Random(SEED * 1_000_003L + kindIndex * 10_007L + i);
        Path dir = prepare(kind, template, base.resolve("case-" + i));
        List<Path> targets = kind.targets(dir);
        Path file = targets.get(rnd.nextInt(targets.size()));
        kind.beforeDamage(dir, file, rnd);
        byte[] bytes = Files.readAllBytes(file);
        Damage d = Damage.pick(rnd, bytes, kind.hotSpots(file, bytes));
        d.apply(file, bytes);
        id += " (" + dir.relativize(file) + ": " + d + ")";
        judge(kind, id, dir, file, expected);
        FileTrees.delete(dir);
    }

    private static Path prepare(FileKind kind, Path template, Path dir) throws Exception {
        if (kind.perCase()) kind.write(dir);
        else copy(template, dir);
        return dir;
    }

    private void judge(FileKind kind, String id, Path dir, Path file, List<String> expected) {
        List<String> out = new ArrayList<>();
        String note;
        Throwable abend = null;
        try {
            note = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> kind.read(dir, file, out), id + ": reader hangs");
        } catch (AssertionFailedError e) {
            throw e;
        } catch (Throwable t) {
            abend = t;
            note = null;
        }
        if (abend == null) {
            if (!out.equals(expected)) {
                fail(id + ": no abend, but the output differs from the undamaged run (" + out.size() + " items, expected "
                        + expected.size() + "); first difference: " + firstDifference(out, expected));
            }
            count(kind, note == null ? "identical" : "identical (" + note + ")");
            return;
        }
        if (!(abend instanceof CorruptFileException || abend instanceof MissingRedoLogException)) {
            throw new AssertionFailedError(id + ": ended in " + abend + ", not a corrupt-file abend", abend);
        }
        String msg = String.valueOf(abend.getMessage());
        if (!msg.contains(file.getFileName().toString()) || !POSITION.matcher(msg).find()) {
            throw new AssertionFailedError(id + ": the abend does not name the damaged file and a position: " + msg, abend);
        }
        if (out.size() > expected.size() || !expected.subList(0, out.size()).equals(out)) {
            fail(id + ": abended (" + msg + ") but first delivered something the undamaged run did not: "
                    + firstDifference(out, expected));
        }
        count(kind, "abended");
    }

    private static String firstDifference(List<String> out, List<String> expected) {
        for (int i = 0; i < Math.max(out.size(), expected.size()); i++) {
            String o = i < out.size() ? out.get(i) : "(nothing)";
            String e = i < expected.size() ? expected.get(i) : "(nothing)";
            if (!o.equals(e)) return "item " + i + ": got " + o + ", expected " + e;
        }
        return "none";
    }

    private static synchronized void count(FileKind kind, String outcome) {
        TALLY.computeIfAbsent(kind.name(), k -> new TreeMap<>()).merge(outcome, 1, Integer::sum);
    }

    @AfterAll
    static synchronized void summary() throws IOException {
        StringBuilder sb = new StringBuilder("seed " + SEED + ", " + CASES + " cases per kind\n");
        TALLY.forEach((k, m) -> sb.append(k).append(": ").append(m).append('\n'));
        System.out.print("Corruption fuzz test: " + sb);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "corruption-fuzz.txt"), sb.toString());
    }

    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(q);
                else Files.copy(p, q);
            }
        }
    }
}
