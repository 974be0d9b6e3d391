import { mount, PageHeader } from '../shared/ui.tsx';

function Page() {
  return (
    <>
      <PageHeader current="/wallboard" />
      <main>
        <h1>Wallboard</h1>
      </main>
    </>
  );
}

mount(<Page />);
