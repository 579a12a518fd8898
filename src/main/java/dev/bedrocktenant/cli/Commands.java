package dev.bedrocktenant.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.bedrocktenant.admin.reconcile.ReconcileCommand;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;

/**
 * The proxy's commands, run by {@code java -jar quarkus-run.jar <command>} without starting the proxy:
 * {@code provision}, {@code profiles list|get|tag|delete}, {@code alarms}, {@code dashboards} and {@code reconcile}.
 * Each answers {@code --help}; a wrong command line prints what is wrong and the usage, and exits 2.
 */
public final class Commands {

    private Commands() {
    }

    /** Whether the first argument names a command; anything else is the proxy's. */
    public static boolean handles(String... args) {
        return args.length > 0 && commands(CommandEnvironment.system()).containsKey(args[0]);
    }

    public static int run(String... args) {
        return run(args, System.out, System.err, CommandEnvironment.system());
    }

    /** @return the exit code */
    public static int run(String[] args, PrintStream out, PrintStream err, CommandEnvironment environment) {
        Map<String, CommandLine> commands = commands(environment);
        CommandLine command = args.length > 0 ? commands.get(args[0]) : null;
        if (command == null) {
            err.println("commands: " + String.join(", ", commands.keySet()));
            return CommandLine.ExitCode.USAGE;
        }
        PrintWriter outWriter = new PrintWriter(out, true);
        PrintWriter errWriter = new PrintWriter(err, true);
        withHelp(command);
        try {
            return command.setOut(outWriter).setErr(errWriter)
                    .setDefaultValueProvider(new SettingDefaults(environment))
                    .setExecutionExceptionHandler((e, line, parsed) -> {
                        line.getErr().println("error: " + FailureReason.of(e));
                        return CommandLine.ExitCode.SOFTWARE;
                    })
                    .execute(Arrays.copyOfRange(args, 1, args.length));
        } finally {
            outWriter.flush();
            errWriter.flush();
        }
    }

    private static Map<String, CommandLine> commands(CommandEnvironment environment) {
        return Stream.of(new ProvisionCommand(environment), new ProfilesCommand(environment), new AlarmsCommand(environment),
                new DashboardsCommand(environment), new ReconcileCommand(environment))
                .map(CommandLine::new)
                .collect(Collectors.toMap(CommandLine::getCommandName, Function.identity()));
    }

    /** The same {@code --help} on every command and sub-command, its usage headed as the error messages are. */
    private static void withHelp(CommandLine command) {
        command.getCommandSpec().usageMessage().synopsisHeading("usage: ").width(100);
        command.getCommandSpec().addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                .description("show this help").build());
        command.getSubcommands().values().forEach(Commands::withHelp);
    }
}
