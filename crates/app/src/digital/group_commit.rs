//! Group commit for HTTP ingest (issue 21): concurrent requests share one
//! transaction. Each request hands its validated measurement (and the
//! alarm it raises) to one committer task and waits; the committer takes
//! what has queued (up to [`MAX_GROUP`]), stores it with
//! `record_measurements` in one transaction, and answers each request with
//! its own outcome only after that commit, so a 202 still means stored.
//! A request alone is committed at once: nothing waits for company.
//! When the transaction fails, nothing of the group is stored and each
//! request gets the error (a 503 the device retries).

use crate::error::{AppError, Result};
use ramp_model::{NewAlarm, NewMeasurement, Recorded, Storage};
use std::sync::{Arc, OnceLock};
use tokio::sync::{mpsc, oneshot};

/// Measurements committed together at most.
const MAX_GROUP: usize = 512;

struct Job {
    measurement: NewMeasurement,
    alarm: Option<NewAlarm>,
    answer: oneshot::Sender<Result<Recorded>>,
}

/// The committer's queue, started by the first request.
#[derive(Default)]
pub struct GroupCommit {
    queue: OnceLock<mpsc::UnboundedSender<Job>>,
}

impl GroupCommit {
    /// Stores `m` (and `alarm`) in the next group's transaction; returns
    /// after that transaction committed (or failed).
    pub(crate) async fn record(
        &self,
        storage: &Arc<dyn Storage>,
        measurement: NewMeasurement,
        alarm: Option<NewAlarm>,
    ) -> Result<Recorded> {
        let queue = self.queue.get_or_init(|| {
            let (tx, rx) = mpsc::unbounded_channel();
            tokio::spawn(committer(storage.clone(), rx));
            tx
        });
        let (answer, outcome) = oneshot::channel();
        queue.send(Job { measurement, alarm, answer }).map_err(|_| stopped())?;
        outcome.await.map_err(|_| stopped())?
    }
}

fn stopped() -> AppError {
    AppError::unavailable(std::io::Error::other("the ingest committer has stopped"))
}

async fn committer(storage: Arc<dyn Storage>, mut rx: mpsc::UnboundedReceiver<Job>) {
    let mut jobs = Vec::with_capacity(MAX_GROUP);
    while rx.recv_many(&mut jobs, MAX_GROUP).await > 0 {
        let batch: Vec<(&NewMeasurement, Option<&NewAlarm>)> =
            jobs.iter().map(|j| (&j.measurement, j.alarm.as_ref())).collect();
        let outcome = storage.record_measurements(&batch).await;
        match outcome {
            Ok(recorded) => {
                for (job, r) in jobs.drain(..).zip(recorded) {
                    let _ = job.answer.send(Ok(r));
                }
            }
            Err(e) => {
                let e = AppError::from(e);
                tracing::warn!(measurements = jobs.len(), error = %e, "HTTP ingest group not stored");
                for job in jobs.drain(..) {
                    let each = AppError { field: e.field.clone(), ..AppError::new(e.kind, e.code, e.message.clone()) };
                    let _ = job.answer.send(Err(each));
                }
            }
        }
    }
}
