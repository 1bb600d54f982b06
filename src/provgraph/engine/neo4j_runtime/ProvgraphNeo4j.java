// provgraph's launcher for Neo4j Community: one embedded DBMS serving Bolt on loopback.
//
// Usage: java -cp <lib>/*:<classes> ProvgraphNeo4j <home> <bolt port> <password file> <pagecache>
//        <transaction timeout ms, 0 = none>
// The password is read from the file (0600), never from the command line. Auth is on; the
// built-in user "neo4j" gets that password (no default password, no change-required prompt):
// on the first start it is seeded before Bolt opens (as `neo4j-admin dbms set-initial-password`
// does), and on every start it is set again through the system database (a new password file).
// Prints "provgraph-neo4j ready <version>" once the DBMS is up; stops cleanly on SIGTERM.

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.neo4j.configuration.Config;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Transaction;
import org.neo4j.io.ByteUnit;
import org.neo4j.io.fs.DefaultFileSystemAbstraction;
import org.neo4j.io.fs.FileSystemAbstraction;
import org.neo4j.kernel.impl.security.User;
import org.neo4j.kernel.internal.Version;
import org.neo4j.logging.NullLogProvider;
import org.neo4j.memory.EmptyMemoryTracker;
import org.neo4j.server.security.SecureHasher;
import org.neo4j.server.security.SystemGraphCredential;
import org.neo4j.server.security.auth.CommunitySecurityModule;
import org.neo4j.server.security.auth.FileUserRepository;

public final class ProvgraphNeo4j {
    private ProvgraphNeo4j() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println(
                    "usage: ProvgraphNeo4j <home> <bolt port> <password file> <pagecache> <timeout ms>");
            System.exit(2);
        }
        Path home = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        String password = Files.readString(Path.of(args[2]), StandardCharsets.UTF_8).strip();
        if (password.length() < 8) {
            System.err.println("ERROR: password file holds fewer than 8 characters");
            System.exit(2);
        }
        if (!Files.exists(home.resolve("data").resolve("databases").resolve("system"))) {
            seedInitialPassword(home, password);
        }
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.parse(args[3]))
                // The engine's own limit matches provgraph's, so a query is never left running.
                .setConfig(GraphDatabaseSettings.transaction_timeout,
                        Duration.ofMillis(Long.parseLong(args[4])))
                // Timeouts are enforced by a monitor, every 2 s by default: too coarse for
                // provgraph's limits (a 1 s query limit could let a query run 3 s).
                .setConfig(GraphDatabaseSettings.transaction_monitor_check_interval,
                        Duration.ofMillis(100))
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                // Stop in about a second, not the 5 s these default to (provgraph waits on it).
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time,
                        Duration.ofSeconds(1))
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time,
                        Duration.ofSeconds(1))
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown, "provgraph-neo4j-shutdown"));
        try {
            setPassword(dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME), password);
        } catch (RuntimeException e) {
            // The DBMS's threads would keep this JVM alive: exit, so provgraph sees the death.
            e.printStackTrace();
            System.exit(1);
        }
        System.out.println("provgraph-neo4j ready " + Version.getNeo4jVersion());
        System.out.flush();
        Thread.currentThread().join();
    }

    private static void seedInitialPassword(Path home, String password) throws Exception {
        Config config = Config.newBuilder()
                .set(GraphDatabaseSettings.neo4j_home, home.toAbsolutePath())
                .build();
        Path file = CommunitySecurityModule.getInitialUserRepositoryFile(config);
        try (FileSystemAbstraction fs = new DefaultFileSystemAbstraction()) {
            if (fs.fileExists(file)) {
                fs.deleteFile(file);
            }
            FileUserRepository users = new FileUserRepository(
                    fs, file, NullLogProvider.getInstance(), EmptyMemoryTracker.INSTANCE);
            users.start();
            users.create(new User(
                    "neo4j",
                    null,
                    SystemGraphCredential.createCredentialForPassword(
                            password.getBytes(StandardCharsets.UTF_8), new SecureHasher()),
                    false,
                    false));
            users.shutdown();
        }
    }

    private static void setPassword(GraphDatabaseService system, String password) {
        // Its own timeout: the configured default (provgraph's query limit) may be shorter.
        try (Transaction tx = system.beginTx(60, TimeUnit.SECONDS)) {
            tx.execute(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password)).close();
            tx.commit();
        } catch (RuntimeException e) {
            // Already this password (Neo4j refuses to "change" to the same one): nothing to do.
            String msg = String.valueOf(e.getMessage());
            if (!msg.contains("Old password and new password cannot be the same")) {
                throw e;
            }
        }
    }
}
