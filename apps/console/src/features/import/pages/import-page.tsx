import { PageHeader } from '../../../components/ui/layout.tsx';
import { useImportConfiguration } from '../api/import-mutations.ts';
import { ImportForm } from '../components/import-form.tsx';
import { ImportReportView } from '../components/import-report-view.tsx';

export function ImportPage() {
  const importer = useImportConfiguration();
  return (
    <>
      <PageHeader title="Import configuration" eyebrow="Meshes">
        <p className="muted">
          Everything in the file is checked first; if any item is rejected, nothing is created.
        </p>
      </PageHeader>
      <ImportForm
        onSubmit={(input) => importer.mutate(input)}
        isPending={importer.isPending}
        error={importer.error}
      />
      {importer.data ? <ImportReportView result={importer.data} /> : null}
    </>
  );
}
