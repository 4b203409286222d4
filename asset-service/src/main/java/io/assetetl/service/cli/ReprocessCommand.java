package io.assetetl.service.cli;

import io.assetetl.AssetEtl;
import io.assetetl.run.RunResult;
import io.assetetl.run.SourceDefinition;
import java.util.Map;
import net.sourceforge.argparse4j.inf.Namespace;

/**
 * {@code reprocess SOURCE [config.yml]}: rebuilds a source's canonical rows from its stored raw records alone (no
 * file read, no network call).
 */
public final class ReprocessCommand extends EtlCommand {

    public ReprocessCommand(Map<String, String> environment) {
        super("reprocess", "Rebuilds a source's canonical rows from its raw tables; prints the JSON summary last on "
                + "stdout; exits like ingest", environment);
    }

    @Override
    RunResult execute(AssetEtl etl, SourceDefinition source, Namespace namespace, ProgressPrinter progress) {
        return etl.reprocess(source.name(), progress);
    }
}
