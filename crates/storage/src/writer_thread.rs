//! A thread of its own for SQLite's write transactions.
//!
//! A write transaction is a row of statements, each a round trip to the
//! connection's worker thread, and SQLite's one writer holds the database
//! from the first to the commit. Run on the server's runtime, the
//! transaction's task is woken after each statement from outside the
//! runtime, so it waits in the runtime's shared queue behind whatever the
//! workers are doing (HTTP requests, reads) before it sends the next one:
//! under `ramp bench orders` the writer held the database about 2.5 times
//! as long as its statements took, and the writer was the bottleneck with
//! half the CPU idle. Here the transaction runs on a single-threaded
//! runtime that runs nothing else, so each statement follows the previous
//! one at once; the caller awaits the result.

use crate::{Result, StorageError};
use std::future::Future;
use std::pin::Pin;
use tokio::sync::{mpsc, oneshot};

type Job = Pin<Box<dyn Future<Output = ()> + Send>>;

/// The handle to the thread; the thread ends when the last handle is gone.
#[derive(Debug, Clone)]
pub struct WriterThread {
    jobs: mpsc::UnboundedSender<Job>,
}

impl WriterThread {
    /// Starts the thread, named `name`, and its runtime.
    pub fn start(name: &str) -> Result<Self> {
        let (jobs, mut queue) = mpsc::unbounded_channel::<Job>();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| StorageError::Database(sqlx::Error::Io(e).into()))?;
        std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                runtime.block_on(async move {
                    while let Some(job) = queue.recv().await {
                        tokio::spawn(job);
                    }
                })
            })
            .map_err(|e| StorageError::Database(sqlx::Error::Io(e).into()))?;
        Ok(Self { jobs })
    }

    /// Runs `work` on the writer thread in the background (a checkpointer).
    pub fn spawn(&self, work: impl Future<Output = ()> + Send + 'static) {
        // A stopped thread has no database left to look after.
        let _ = self.jobs.send(Box::pin(work));
    }

    /// Runs `work` on the writer thread and returns its result.
    pub async fn run<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: Future<Output = Result<T>> + Send + 'static,
    {
        let (done, result) = oneshot::channel();
        let job: Job = Box::pin(async move {
            let _ = done.send(work.await);
        });
        // A stopped thread or a transaction that panicked (its sender dropped).
        self.jobs.send(job).map_err(|_| StorageError::Database(sqlx::Error::WorkerCrashed.into()))?;
        result.await.map_err(|_| StorageError::Database(sqlx::Error::WorkerCrashed.into()))?
    }
}
