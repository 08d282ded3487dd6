/** The general error message of a form; rendered only when there is something to say. */
export function FormAlert({ message }: { message: string }) {
  if (!message) return null;
  return (
    <div className="alert alert-error" role="alert">
      {message}
    </div>
  );
}

export function FormSuccess({ message }: { message: string }) {
  if (!message) return null;
  return (
    <div className="alert alert-success" role="status">
      {message}
    </div>
  );
}
