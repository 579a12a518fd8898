package dev.bedrocktenant.bench;

import java.lang.annotation.Annotation;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Bench-only Java agent (bench/metering-crossover.sh): switches metering on and off inside a running proxy,
 * so that one JVM serves both sides of the comparison and the spread between JVMs (each compiles the proxy a
 * little differently) drops out. It polls a control file holding {@code on} or {@code off}, sets the {@code enabled} field of
 * the proxy's {@code Metering} bean to match, and then writes the line it applied to {@code <control>.applied}.
 *
 * <p>With a profile directory and async-profiler (its jar and library) as further arguments, it also profiles each
 * window, from one control line to the next, into {@code <dir>/<state>-<window>.collapsed} (lines such as
 * {@code on 3}); {@code done} ends the last window. Arguments: {@code control-file[,profile-dir,async-profiler.jar,libasyncProfiler.so]}.
 *
 * <p>Outside the product on purpose: a proxy that could be told at run time to stop metering would let
 * requests go unbilled. The field is final, but HotSpot does not fold instance finals into compiled code, so
 * every request reads the value set here; the script checks it by counting ledger lines against the requests
 * of the "on" windows.
 */
public final class MeteringToggle {

    static final String THREAD_NAME = "metering-toggle";
    private static final String METERING = "dev.bedrocktenant.metering.Metering";
    private static final long POLL_MS = 50;

    private MeteringToggle() {
    }

    public static void premain(String arguments, Instrumentation instrumentation) {
        String[] parts = arguments.split(",");
        WindowProfiler profiler = parts.length == 4 ? new WindowProfiler(Path.of(parts[1]), parts[2], parts[3]) : null;
        Thread thread = new Thread(() -> follow(Path.of(parts[0]), instrumentation, profiler), THREAD_NAME);
        thread.setDaemon(true);
        thread.start();
    }

    private static void follow(Path control, Instrumentation instrumentation, WindowProfiler profiler) {
        Path applied = control.resolveSibling(control.getFileName() + ".applied");
        String current = null;
        Object metering = null;
        Field enabled = null;
        while (true) {
            try {
                Thread.sleep(POLL_MS);
                String wanted = read(control);
                if (wanted == null || wanted.equals(current)) {
                    continue;
                }
                String state = wanted.split(" ")[0];
                if (state.equals("done")) {
                    if (profiler != null) {
                        profiler.next(current, null);
                    }
                    current = wanted;
                    Files.writeString(applied, wanted);
                    continue;
                }
                if (metering == null) { // the proxy may still be starting: try again at the next poll
                    Class<?> type = loaded(instrumentation);
                    if (type == null) {
                        continue;
                    }
                    metering = bean(type);
                    if (metering == null) {
                        continue;
                    }
                    enabled = type.getDeclaredField("enabled");
                    enabled.setAccessible(true);
                }
                enabled.setBoolean(metering, state.equals("on"));
                if (profiler != null) {
                    profiler.next(current, wanted);
                }
                current = wanted;
                Files.writeString(applied, wanted);
            } catch (InterruptedException e) {
                return;
            } catch (java.lang.reflect.InvocationTargetException e) {
                System.err.println("metering-toggle: " + e.getCause());
            } catch (Exception e) {
                System.err.println("metering-toggle: " + e);
            }
        }
    }

    /** The control file's line, "on", "off" or "done", optionally followed by a window's name; null if none. */
    private static String read(Path control) throws java.io.IOException {
        try {
            String line = Files.readString(control).trim();
            String state = line.split(" ")[0];
            return state.equals("on") || state.equals("off") || state.equals("done") ? line : null;
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static Class<?> loaded(Instrumentation instrumentation) {
        return Arrays.stream(instrumentation.getAllLoadedClasses())
                .filter(type -> type.getName().equals(METERING)).findFirst().orElse(null);
    }

    /** The application's Metering singleton, from ArC's container, through the application's class loader. */
    private static Object bean(Class<?> type) throws ReflectiveOperationException {
        ClassLoader loader = type.getClassLoader();
        Thread.currentThread().setContextClassLoader(loader); // ArC loads classes through it
        Object container = Class.forName("io.quarkus.arc.Arc", true, loader).getMethod("container").invoke(null);
        Method instance = Class.forName("io.quarkus.arc.ArcContainer", true, loader)
                .getMethod("instance", Class.class, Annotation[].class);
        Object handle = instance.invoke(container, type, new Annotation[0]);
        return Class.forName("io.quarkus.arc.InstanceHandle", true, loader).getMethod("get").invoke(handle);
    }

    /** async-profiler through its Java API, loaded from its jar only when asked for. */
    private static final class WindowProfiler {

        private final Path dir;
        private final Object profiler;
        private final Method execute;

        WindowProfiler(Path dir, String jar, String library) {
            try {
                ClassLoader loader = new java.net.URLClassLoader(new java.net.URL[] {Path.of(jar).toUri().toURL()});
                Class<?> type = Class.forName("one.profiler.AsyncProfiler", true, loader);
                this.dir = dir;
                this.profiler = type.getMethod("getInstance", String.class).invoke(null, library);
                this.execute = type.getMethod("execute", String.class);
            } catch (ReflectiveOperationException | java.net.MalformedURLException e) {
                throw new IllegalStateException("async-profiler not loaded", e);
            }
        }

        /**
         * Ends the window of control line {@code ended} (none at the first call) and begins one for
         * {@code begins} (none at the end): "on 3" is written to {@code on-3.collapsed}.
         */
        void next(String ended, String begins) throws ReflectiveOperationException {
            if (ended != null) {
                String name = ended.replace(' ', '-');
                execute.invoke(profiler, "stop,collapsed,file=" + dir.resolve(name + ".collapsed"));
            }
            if (begins != null) {
                execute.invoke(profiler, "start,event=cpu,interval=499us,threads");
            }
        }
    }
}
