/** A labelled progress bar (role="progressbar" with aria-valuenow, 0–100). */
export function ProgressBar({
  value,
  label,
  showValue = true,
  className,
}: {
  value: number;
  label: string;
  showValue?: boolean;
  className?: string;
}) {
  const percent = Math.max(0, Math.min(100, Math.round(Number.isFinite(value) ? value : 0)));
  return (
    <div className={`progress${className ? ` ${className}` : ''}`}>
      <div
        className="progress-track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent}%`}
      >
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      {showValue ? (
        <span className="progress-value" aria-hidden="true">
          {percent}%
        </span>
      ) : null}
    </div>
  );
}
